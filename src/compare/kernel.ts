import { UNRELIABLE_COMPONENT } from '../product/gunw-layout.js';
import { IRREGULAR_K, type LayerTotals } from './tasks.js';

/**
 * The hot loop: one pass over a row of reference and candidate values that updates every statistic at once.
 * Rows come straight out of decoded chunks; nothing here allocates per pixel.
 */

export const HISTOGRAM_BINS = 65536;
/** |Δ| is binned by the top 16 bits of its float32 pattern below the sign: 8 exponent + 8 mantissa bits. */
export const HISTOGRAM_SHIFT = 15;
const TWO_PI = 2 * Math.PI;

/** How a row's differences are formed and what else is tracked (numbers, so the hot loop compares integers). */
export const Mode = { Values: 0, WrappedPhase: 1, UnwrappedPhase: 2, Labels: 3 } as const;
export type Mode = (typeof Mode)[keyof typeof Mode];
const WRAPPED = Mode.WrappedPhase;
const UNWRAPPED = Mode.UnwrappedPhase;
const LABELS = Mode.Labels;

/** Running statistics of one layer in one thread. */
export class LayerAccumulator {
  validReference = 0;
  validCandidate = 0;
  nanMismatch = 0;
  compared = 0;
  exceeding = 0;
  sumAbs = 0;
  sumSquares = 0;
  maxAbs = 0;
  readonly histogram = new Uint32Array(HISTOGRAM_BINS);
  /** reference label -> candidate label -> pixels */
  readonly labelPairs = new Map<number, Map<number, number>>();
  /** component -> k -> pixels */
  readonly phaseCounts = new Map<number, Map<number, number>>();

  constructor(readonly layer: number) {}

  totals(): LayerTotals {
    return {
      layer: this.layer,
      validReference: this.validReference,
      validCandidate: this.validCandidate,
      nanMismatch: this.nanMismatch,
      compared: this.compared,
      exceeding: this.exceeding,
      sumAbs: this.sumAbs,
      sumSquares: this.sumSquares,
      maxAbs: this.maxAbs,
      histogram: this.histogram,
      labelPairs: flattenCounts(this.labelPairs),
      phaseCounts: flattenCounts(this.phaseCounts),
    };
  }
}

export function addCount(map: Map<number, Map<number, number>>, outer: number, inner: number, pixels: number): void {
  let row = map.get(outer);
  if (!row) {
    row = new Map();
    map.set(outer, row);
  }
  row.set(inner, (row.get(inner) ?? 0) + pixels);
}

function flattenCounts(map: Map<number, Map<number, number>>): number[] {
  const out: number[] = [];
  for (const [outer, row] of map) for (const [inner, pixels] of row) out.push(outer, inner, pixels);
  return out;
}

/** Everything constant over the rows of one job. */
export interface RowSettings {
  readonly mode: Mode;
  /** Fill values; NaN when a side has none (then only NaN marks missing data). */
  readonly fillA: number;
  readonly fillB: number;
  readonly abs: number;
  readonly rel: number;
  readonly labelFill: number;
  readonly acc: LayerAccumulator;
  /** Scratch for |Δ| of one row, at least as long as a row. */
  readonly scratch: Float32Array;
  readonly scratchBits: Uint32Array;
  /** Preview cells of this row (or null): the cell index of each column, and the block's arrays. */
  readonly previewDiff: Float32Array | null;
  readonly previewMismatch: Uint8Array | null;
  readonly previewColumn: Int32Array | null;
}

/**
 * Compare `n` values of one row: reference `a`, candidate `b`, reference labels `l` (unwrapped phase only), and
 * `previewRow`, the preview cell index of this row's first column. Rows arrive as Float64Array whatever the
 * stored type, so this function only ever sees one array type and stays fast.
 */
export function compareRow(s: RowSettings, a: Float64Array, b: Float64Array, n: number, l: Float64Array | null, previewRow: number): void {
  const { mode, fillA, fillB, abs, rel, acc, scratch, previewDiff, previewMismatch, previewColumn } = s;
  let onlyA = 0;
  let onlyB = 0;
  let exceeding = 0;
  let sumAbs = 0;
  let sumSquares = 0;
  let maxAbs = acc.maxAbs;
  let m = 0;
  // Run-length state for label pairs / phase cycles: spatially coherent, so runs are long.
  let runOuter = NaN;
  let runInner = NaN;
  let runLength = 0;
  // Loop-invariant decisions as plain booleans, so each test in the loop is a register compare.
  const wrapped = mode === WRAPPED;
  const unwrapped = mode === UNWRAPPED;
  const labels = mode === LABELS;
  const relative = rel !== 0;
  const previews = previewDiff !== null;
  for (let j = 0; j < n; j++) {
    const x = a[j]!;
    const y = b[j]!;
    // Valid means neither NaN nor the side's fill value; pixels valid on both sides are the common case.
    if (x !== x || x === fillA) {
      if (y === y && y !== fillB) {
        onlyB++;
        if (previews) previewMismatch![previewRow + previewColumn![j]!] = 1;
      }
      continue;
    }
    if (y !== y || y === fillB) {
      onlyA++;
      if (previews) previewMismatch![previewRow + previewColumn![j]!] = 1;
      continue;
    }
    let d = y - x;
    if (wrapped) d -= TWO_PI * Math.round(d / TWO_PI);
    const ad = Math.abs(d);
    sumAbs += ad;
    sumSquares += d * d;
    if (ad > maxAbs) maxAbs = ad;
    scratch[m++] = ad;
    const limit = relative ? abs + rel * Math.abs(x) : abs;
    if (ad > limit) exceeding++;
    if (previews) {
      const cell = previewRow + previewColumn![j]!;
      if (!(Math.abs(previewDiff![cell]!) >= ad)) previewDiff![cell] = d;
    }
    if (unwrapped) {
      const label = l![j]!;
      if (label !== label || label === s.labelFill || label === UNRELIABLE_COMPONENT) continue;
      let k = 0;
      if (ad > limit) {
        k = Math.round(d / TWO_PI);
        if (Math.abs(d - k * TWO_PI) > limit) k = IRREGULAR_K;
      }
      if (label === runOuter && k === runInner) runLength++;
      else {
        if (runLength > 0) addCount(acc.phaseCounts, runOuter, runInner, runLength);
        runOuter = label;
        runInner = k;
        runLength = 1;
      }
    } else if (labels) {
      if (x === runOuter && y === runInner) runLength++;
      else {
        if (runLength > 0) addCount(acc.labelPairs, runOuter, runInner, runLength);
        runOuter = x;
        runInner = y;
        runLength = 1;
      }
    }
  }
  if (runLength > 0) addCount(labels ? acc.labelPairs : acc.phaseCounts, runOuter, runInner, runLength);
  // Bin |Δ| by its float32 bit pattern: monotonic in the value, so bins are ordered without any log().
  const bits = s.scratchBits;
  const histogram = acc.histogram;
  for (let j = 0; j < m; j++) histogram[bits[j]! >>> HISTOGRAM_SHIFT]!++;
  acc.validReference += m + onlyA;
  acc.validCandidate += m + onlyB;
  acc.nanMismatch += onlyA + onlyB;
  acc.compared += m;
  acc.exceeding += exceeding;
  acc.sumAbs += sumAbs;
  acc.sumSquares += sumSquares;
  acc.maxAbs = maxAbs;
}

/**
 * The same row on both sides (the stored chunks were byte-identical): every valid pixel differs by exactly zero,
 * so only validity, label runs and the preview need a pass.
 */
export function compareIdenticalRow(s: RowSettings, a: Float64Array, n: number, l: Float64Array | null, previewRow: number): void {
  const { mode, fillA, labelFill, acc, previewDiff, previewColumn } = s;
  const unwrapped = mode === UNWRAPPED;
  const labels = mode === LABELS;
  const counts = labels ? acc.labelPairs : acc.phaseCounts;
  let m = 0;
  let runKey = NaN;
  let runLength = 0;
  for (let j = 0; j < n; j++) {
    const x = a[j]!;
    if (x !== x || x === fillA) continue;
    m++;
    if (previewDiff !== null) {
      const cell = previewRow + previewColumn![j]!;
      if (previewDiff[cell] !== previewDiff[cell]) previewDiff[cell] = 0;
    }
    // Label pairs are (x, x); phase cycles are (component, 0).
    let key: number;
    if (labels) key = x;
    else if (unwrapped) {
      key = l![j]!;
      if (key !== key || key === labelFill || key === UNRELIABLE_COMPONENT) continue;
    } else continue;
    if (key === runKey) runLength++;
    else {
      if (runLength > 0) addCount(counts, runKey, labels ? runKey : 0, runLength);
      runKey = key;
      runLength = 1;
    }
  }
  if (runLength > 0) addCount(counts, runKey, labels ? runKey : 0, runLength);
  acc.histogram[0]! += m;
  acc.validReference += m;
  acc.validCandidate += m;
  acc.compared += m;
}

/** Lower edge of histogram bin `bin`. */
export function binLowerEdge(bin: number): number {
  const word = new Uint32Array([bin << HISTOGRAM_SHIFT]);
  return new Float32Array(word.buffer)[0]!;
}

/**
 * Nearest-rank percentile of the binned |Δ|: the lower edge of the bin holding the value of rank ceil(q·n).
 * Exact for zero differences; otherwise below the true value by less than 2^-8 of it.
 */
export function percentileFromHistogram(histogram: Uint32Array, total: number, q: number): number {
  if (total === 0) return 0;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let bin = 0; bin < histogram.length; bin++) {
    seen += histogram[bin]!;
    if (seen >= rank) return binLowerEdge(bin);
  }
  return binLowerEdge(histogram.length - 1);
}
