import { valueStatistics } from '../wasm/kernels.js';
import { addCount, addRow, HISTOGRAM_SHIFT } from './accumulator.js';
import { identicalPhaseRuns, phaseRunsPass } from './phase-rows.js';
import { Mode, TWO_PI, type RowSettings } from './row-settings.js';

/**
 * The hot loop: one pass over a row of reference and candidate values that updates every statistic at once.
 * Rows come straight out of decoded chunks; nothing here allocates per pixel. Plain value layers, most of the
 * pixels, and unwrapped phase (run by run of one component, phase-rows.ts) are compared by the SIMD kernel
 * (src/wasm); wrapped phase, labels and difference maps by the loops here.
 */

const WRAPPED = Mode.WrappedPhase;
const UNWRAPPED = Mode.UnwrappedPhase;
const LABELS = Mode.Labels;

/**
 * Compare `n` values of one row: reference `a`, candidate `b`, reference labels `l` (unwrapped phase only), and
 * `previewRow`, the preview cell index of this row's first column. Rows arrive as Float64Array whatever the stored
 * type, so every loop here sees one array type. The statistics pass is the same for every comparator; what only
 * some comparators or the difference maps need runs as separate passes over the row's Δ.
 */
export function compareRow(
  s: RowSettings,
  a: Float64Array,
  b: Float64Array,
  n: number,
  l: Float64Array | null,
  previewRow: number,
): void {
  const { mode, acc } = s;
  if (mode === Mode.Values && s.previewDiff === null) {
    const row = valueStatistics(a, b, 0, n, s.fillA, s.fillB, s.abs, s.rel, acc);
    addRow(
      acc,
      row.compared,
      row.onlyA,
      row.onlyB,
      row.exceeding,
      row.sumAbs,
      row.sumSquares,
      Math.max(acc.maxAbs, row.maxAbs),
    );
    return;
  }
  if (mode === UNWRAPPED) {
    phaseRunsPass(s, a, b, n, l!);
    if (s.previewDiff !== null) {
      deltasPass(s, a, b, n);
      previewRowUpdate(s, a, b, s.deltas, n, l, previewRow);
    }
    return;
  }
  // Each case gets a loop of its own: V8 optimises each loop for what it sees, and one loop for every case carries
  // every case's branches. Δ per pixel is kept only for the passes that read it: label pairs, difference maps.
  const m = statisticsPassWithDeltas(s, a, b, n);
  // Bin |Δ| by its float32 bit pattern: monotonic in the value, so bins are ordered without any log().
  const bits = s.scratchBits;
  const histogram = acc.histogram;
  for (let j = 0; j < m; j++) histogram[bits[j]! >>> HISTOGRAM_SHIFT]!++;
  if (mode === LABELS) countLabelPairs(s, a, b, s.deltas, n);
  if (s.previewDiff !== null) previewRowUpdate(s, a, b, s.deltas, n, l, previewRow);
}

/**
 * Statistics of a row, keeping Δ for later passes (label pairs, difference maps), and wrapping phase. A pixel is
 * compared when neither side is NaN (then Δ is not NaN) nor its side's fill value; that test comes first because
 * it holds for nearly every pixel. Returns how many |Δ| were put in the scratch row.
 */
function statisticsPassWithDeltas(s: RowSettings, a: Float64Array, b: Float64Array, n: number): number {
  const { fillA, fillB, abs, rel, scratch, deltas } = s;
  const wrapped = s.mode === WRAPPED;
  let onlyA = 0;
  let onlyB = 0;
  let exceeding = 0;
  let sumAbs = 0;
  let sumSquares = 0;
  let maxAbs = s.acc.maxAbs;
  let m = 0;
  for (let j = 0; j < n; j++) {
    const x = a[j]!;
    const y = b[j]!;
    let d = y - x;
    if (d === d && x !== fillA && y !== fillB) {
      if (wrapped) {
        // An infinite Δ has no value modulo 2π: it stays infinite (and beyond any tolerance).
        const w = d - TWO_PI * Math.round(d / TWO_PI);
        if (w === w) d = w;
      }
      deltas[j] = d;
      const ad = Math.abs(d);
      sumAbs += ad;
      sumSquares += d * d;
      if (ad > maxAbs) maxAbs = ad;
      scratch[m++] = ad;
      if (ad > (rel === 0 ? abs : abs + rel * Math.abs(x))) exceeding++;
    } else if (x === x && x !== fillA && y === y && y !== fillB) {
      // Equal infinities: y − x is NaN, yet the values are the same.
      deltas[j] = 0;
      scratch[m++] = 0;
    } else {
      deltas[j] = NaN;
      if (x === x && x !== fillA) onlyA++;
      else if (y === y && y !== fillB) onlyB++;
    }
  }
  addRow(s.acc, m, onlyA, onlyB, exceeding, sumAbs, sumSquares, maxAbs);
  return m;
}

/** Δ of every pixel of the row for the difference map: NaN where not valid in both, 0 for equal infinities. */
function deltasPass(s: RowSettings, a: Float64Array, b: Float64Array, n: number): void {
  const { fillA, fillB, deltas } = s;
  for (let j = 0; j < n; j++) {
    const x = a[j]!;
    const y = b[j]!;
    const d = y - x;
    if (d === d && x !== fillA && y !== fillB) deltas[j] = d;
    else deltas[j] = x === x && x !== fillA && y === y && y !== fillB ? 0 : NaN;
  }
}

/** Counts of (reference label, candidate label) over pixels valid in both; runs are long, so few map updates. */
function countLabelPairs(s: RowSettings, a: Float64Array, b: Float64Array, deltas: Float64Array, n: number): void {
  let runA = NaN;
  let runB = NaN;
  let runLength = 0;
  for (let j = 0; j < n; j++) {
    if (deltas[j] !== deltas[j]) continue;
    const x = a[j]!;
    const y = b[j]!;
    if (x === runA && y === runB) runLength++;
    else {
      if (runLength > 0) addCount(s.acc.labelPairs, runA, runB, runLength);
      runA = x;
      runB = y;
      runLength = 1;
    }
  }
  if (runLength > 0) addCount(s.acc.labelPairs, runA, runB, runLength);
}

/** Keep the signed Δ of largest magnitude per preview cell, and mark cells with a pixel valid on one side only. */
function previewRowUpdate(
  s: RowSettings,
  a: Float64Array,
  b: Float64Array,
  deltas: Float64Array,
  n: number,
  l: Float64Array | null,
  previewRow: number,
): void {
  const { fillA, fillB } = s;
  const diff = s.previewDiff!;
  const mismatch = s.previewMismatch!;
  const column = s.previewColumn!;
  // A cell's pixel keeps its component, so a map can tell a component's whole 2π jump from a pixel off by 2π.
  const labels = l !== null ? s.previewLabels : null;
  for (let j = 0; j < n; j++) {
    const cell = previewRow + column[j]!;
    const d = deltas[j]!;
    if (d === d) {
      if (!(Math.abs(diff[cell]!) >= Math.abs(d))) {
        diff[cell] = d;
        if (labels !== null) labels[cell] = l![j]!;
      }
      continue;
    }
    const x = a[j]!;
    const y = b[j]!;
    if ((x === x && x !== fillA) !== (y === y && y !== fillB)) mismatch[cell] = 1;
  }
}

/**
 * The same row on both sides (the stored chunks were byte-identical): every valid pixel differs by exactly zero,
 * so only validity, label runs and the preview need a pass.
 */
export function compareIdenticalRow(
  s: RowSettings,
  a: Float64Array,
  n: number,
  l: Float64Array | null,
  previewRow: number,
): void {
  const { mode, fillA, acc, previewDiff } = s;
  // One tight loop per case: identical regions are common (re-runs, untouched layers) and this is their only pass.
  let m: number;
  if (mode === LABELS) m = identicalLabelRuns(acc.labelPairs, a, n, fillA);
  else if (mode === UNWRAPPED) m = identicalPhaseRuns(s, a, n, l!);
  else {
    m = 0;
    for (let j = 0; j < n; j++) {
      const x = a[j]!;
      if (x === x && x !== fillA) m++;
    }
  }
  if (previewDiff !== null) {
    const column = s.previewColumn!;
    for (let j = 0; j < n; j++) {
      const x = a[j]!;
      if (x !== x || x === fillA) continue;
      const cell = previewRow + column[j]!;
      if (previewDiff[cell] !== previewDiff[cell]) previewDiff[cell] = 0;
    }
  }
  countIdentical(s, m);
}

/**
 * An identical labels row given as runs of equal values (run k from `starts[k]` to the next start, the last to `n`),
 * without a difference map: the same totals as {@link compareIdenticalRow}, a run at a time instead of a pixel at a
 * time (frame90 benchmark labels: 35 runs a row of 2,100 pixels).
 */
export function compareIdenticalLabelRuns(
  s: RowSettings,
  starts: Int32Array,
  values: Float64Array,
  runs: number,
  n: number,
): void {
  const { fillA, acc } = s;
  let m = 0;
  for (let k = 0; k < runs; k++) {
    const x = values[k]!;
    if (x !== x || x === fillA) continue;
    const pixels = (k + 1 < runs ? starts[k + 1]! : n) - starts[k]!;
    m += pixels;
    addCount(acc.labelPairs, x, x, pixels);
  }
  countIdentical(s, m);
}

/** `m` valid pixels equal on both sides: all compared, all in the histogram's zero bin. */
function countIdentical({ acc }: RowSettings, m: number): void {
  acc.histogram[0]! += m;
  acc.validReference += m;
  acc.validCandidate += m;
  acc.compared += m;
}

/** Valid pixels of an identical labels row, counting each label's runs as (label, label) pairs. */
function identicalLabelRuns(
  counts: Map<number, Map<number, number>>,
  a: Float64Array,
  n: number,
  fill: number,
): number {
  let m = 0;
  let runKey = NaN;
  let runLength = 0;
  for (let j = 0; j < n; j++) {
    const x = a[j]!;
    if (x !== x || x === fill) continue;
    m++;
    if (x === runKey) runLength++;
    else {
      if (runLength > 0) addCount(counts, runKey, runKey, runLength);
      runKey = x;
      runLength = 1;
    }
  }
  if (runLength > 0) addCount(counts, runKey, runKey, runLength);
  return m;
}
