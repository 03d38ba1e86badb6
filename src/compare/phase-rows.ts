import { valueStatistics } from '../wasm/kernels.js';
import { addComponentSums, addCount, addRow, addUnlabelledSums, type LayerAccumulator } from './accumulator.js';
import { TWO_PI, type RowSettings } from './row-settings.js';
import { IRREGULAR_K } from './tasks.js';

/** The row passes of unwrapped phase: statistics per connected component of the reference, and 2π·k counts. */

/**
 * Statistics of an unwrapped phase row that also count, per connected component of the reference, how many pixels
 * differ by 2π·k for each k (IRREGULAR_K when not a whole cycle). Components change seldom along a row, so the row
 * goes run by run of one component through the SIMD kernel of plain values (counts, sums, maximum, histogram), and
 * only a run with pixels beyond the tolerance is walked again here for their k: every other compared pixel has
 * k = 0. Each run keeps its own sums (a component's, or the unlabelled pixels'). Measured on rows of 2,100 pixels in
 * five components, one of them off by 2π (Node 24): 10.4 ns a pixel against 13.5 for the per-pixel loop it replaced.
 */
export function phaseRunsPass(s: RowSettings, a: Float64Array, b: Float64Array, n: number, l: Float64Array): void {
  const { fillA, fillB, abs, rel, labelFill, acc } = s;
  let onlyA = 0;
  let onlyB = 0;
  let exceeding = 0;
  let sumAbs = 0;
  let sumSquares = 0;
  let maxAbs = acc.maxAbs;
  let m = 0;
  for (let start = 0; start < n;) {
    const label = l[start]!;
    let end = start + 1;
    if (label === label) while (end < n && l[end] === label) end++;
    else while (end < n && l[end] !== l[end]) end++;
    const run = valueStatistics(a, b, start, end, fillA, fillB, abs, rel, acc);
    onlyA += run.onlyA;
    onlyB += run.onlyB;
    exceeding += run.exceeding;
    sumAbs += run.sumAbs;
    sumSquares += run.sumSquares;
    if (run.maxAbs > maxAbs) maxAbs = run.maxAbs;
    m += run.compared;
    // Component 0 is counted too, so a report can name its pixels off by 2π; it is never an explained ambiguity.
    if (label === label && label !== labelFill) {
      const cycled = run.exceeding > 0 ? countCycles(s, a, b, start, end, label) : 0;
      if (run.compared - cycled > 0) addCount(acc.phaseCounts, label, 0, run.compared - cycled);
      if (run.compared > 0)
        addComponentSums(acc.componentSums, label, run.compared, run.sumAbs, run.sumSquares, run.maxAbs);
    } else {
      addUnlabelledSums(acc, run.compared, run.sumAbs, run.sumSquares);
      if (run.maxAbs > acc.unlabelledMaxAbs) acc.unlabelledMaxAbs = run.maxAbs;
    }
    start = end;
  }
  addRow(acc, m, onlyA, onlyB, exceeding, sumAbs, sumSquares, maxAbs);
}

/**
 * The whole cycles k (IRREGULAR_K when not a whole cycle) of the pixels of `[start, end)` beyond the tolerance,
 * counted for component `label` run by run of one k; returns how many pixels were counted.
 */
function countCycles(
  s: RowSettings,
  a: Float64Array,
  b: Float64Array,
  start: number,
  end: number,
  label: number,
): number {
  const { fillA, fillB, abs, rel, acc } = s;
  let cycled = 0;
  let runK = NaN;
  let runLength = 0;
  for (let j = start; j < end; j++) {
    const x = a[j]!;
    const y = b[j]!;
    const d = y - x;
    if (!(d === d && x !== fillA && y !== fillB)) continue;
    // rel · |x| alone would make the limit NaN for an infinite reference (0 · ∞).
    const limit = rel === 0 ? abs : abs + rel * Math.abs(x);
    if (!(Math.abs(d) > limit)) continue;
    let k = Math.round(d / TWO_PI);
    if (k === 0 || Math.abs(d - k * TWO_PI) > limit) k = IRREGULAR_K;
    cycled++;
    if (k === runK) runLength++;
    else {
      if (runLength > 0) addCount(acc.phaseCounts, label, runK, runLength);
      runK = k;
      runLength = 1;
    }
  }
  if (runLength > 0) addCount(acc.phaseCounts, label, runK, runLength);
  return cycled;
}

/** Valid pixels of an identical phase row, counting (component, k = 0) runs over its components. */
export function identicalPhaseRuns(s: RowSettings, a: Float64Array, n: number, l: Float64Array): number {
  const { fillA, labelFill, acc } = s;
  let m = 0;
  let unlabelled = 0;
  let runKey = NaN;
  let runLength = 0;
  for (let j = 0; j < n; j++) {
    const x = a[j]!;
    if (x !== x || x === fillA) continue;
    m++;
    const key = l[j]!;
    if (key !== key || key === labelFill) {
      unlabelled++;
      continue;
    }
    if (key === runKey) runLength++;
    else {
      if (runLength > 0) identicalRun(acc, runKey, runLength);
      runKey = key;
      runLength = 1;
    }
  }
  if (runLength > 0) identicalRun(acc, runKey, runLength);
  addUnlabelledSums(acc, unlabelled, 0, 0);
  return m;
}

/** A run of one component's pixels that are the same in both products: k = 0, Δ = 0. */
function identicalRun(acc: LayerAccumulator, component: number, pixels: number): void {
  addCount(acc.phaseCounts, component, 0, pixels);
  addComponentSums(acc.componentSums, component, pixels, 0, 0, 0);
}
