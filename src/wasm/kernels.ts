import { KERNELS_WASM_BASE64 } from './kernels-binary.js';

/**
 * The SIMD kernels (kernels.wat) and the memory they work in, one instance per thread. JavaScript has no SIMD;
 * WebAssembly's 128-bit lanes turn a shuffled chunk row into float64 values and take a row's statistics several
 * times faster than the scalar loops they replace: measured by scripts/bench-kernels.mjs (20 Mpx in rows of 4,096,
 * Node 24, 2 cores), value statistics with the |Δ| histogram take 0.17× the scalar loop's time (0.078 s vs
 * 0.452 s) and unshuffling float32 rows 0.10× (0.008 s vs 0.079 s).
 *
 * The memory holds the rows the comparison works on (see {@link kernelRows}), so the kernels read them in place.
 * A WebAssembly memory that grows invalidates every view of it, so it never grows: when rows longer than it holds
 * are needed, a new instance with a bigger memory replaces it, and views of the old one stay readable.
 */

interface Exports {
  readonly memory: WebAssembly.Memory;
  valueStatistics(
    a: number,
    b: number,
    n: number,
    fillA: number,
    fillB: number,
    abs: number,
    rel: number,
    histogram: number,
    out: number,
  ): void;
  unshuffleFloat32(planes: number, n: number, out: number): void;
  unshuffleInt16(planes: number, n: number, out: number, unsigned: number): void;
}

export const HISTOGRAM_BINS = 65536;
const PAGE = 65536;
const OUT_VALUES = 7;

let compiled: WebAssembly.Module | null = null;

/** The kernels' module, compiled once per thread. */
export function kernelModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(Buffer.from(KERNELS_WASM_BASE64, 'base64'));
  return compiled;
}

/** One instance and the layout of its memory for rows of up to `capacity` elements. */
class Kernels {
  readonly exports: Exports;
  readonly histogram: Uint32Array;
  readonly out: Float64Array;
  readonly rowA: Float64Array;
  readonly rowB: Float64Array;
  readonly rowLabels: Float64Array;
  /** Where rows from outside this memory are copied for the statistics. */
  readonly copyA: Float64Array;
  readonly copyB: Float64Array;
  /** Where a row's byte planes are gathered, and where rows for views outside this memory are unshuffled. */
  readonly planes: Uint8Array;
  readonly rowScratch: Float64Array;

  constructor(readonly capacity: number) {
    this.exports = new WebAssembly.Instance(kernelModule()).exports as unknown as Exports;
    // A padding element per row lets the statistics run two pixels at a time over rows of odd length.
    const rowBytes = 8 * (capacity + 2);
    const layout = [HISTOGRAM_BINS * 4, OUT_VALUES * 8, ...Array<number>(6).fill(rowBytes), 8 * capacity];
    const bytes = layout.reduce((n, size) => n + Math.ceil(size / 16) * 16, 0);
    const memory = this.exports.memory;
    const pages = Math.ceil(bytes / PAGE) - memory.buffer.byteLength / PAGE;
    if (pages > 0) memory.grow(pages);
    let at = 0;
    const next = (size: number): number => {
      const start = at;
      at += Math.ceil(size / 16) * 16;
      return start;
    };
    this.histogram = new Uint32Array(memory.buffer, next(HISTOGRAM_BINS * 4), HISTOGRAM_BINS);
    this.out = new Float64Array(memory.buffer, next(OUT_VALUES * 8), OUT_VALUES);
    this.rowA = new Float64Array(memory.buffer, next(rowBytes), capacity + 2);
    this.rowB = new Float64Array(memory.buffer, next(rowBytes), capacity + 2);
    this.rowLabels = new Float64Array(memory.buffer, next(rowBytes), capacity + 2);
    this.rowScratch = new Float64Array(memory.buffer, next(rowBytes), capacity + 2);
    this.copyA = new Float64Array(memory.buffer, next(rowBytes), capacity + 2);
    this.copyB = new Float64Array(memory.buffer, next(rowBytes), capacity + 2);
    this.planes = new Uint8Array(memory.buffer, next(8 * capacity), 8 * capacity);
  }

  holds(row: Float64Array): boolean {
    return row.buffer === this.exports.memory.buffer;
  }
}

let current: Kernels | null = null;

function kernels(length: number): Kernels {
  if (!current || current.capacity < length) {
    const replaced = current;
    current = new Kernels(Math.max(length, 2 * (current?.capacity ?? 0), 4096));
    // Counts not yet handed to their layer stay with it.
    if (replaced && histogramOwner) flushInto(replaced, histogramOwner);
  }
  return current;
}

/** Rows of `length` values in kernel memory, for the comparison to read values into and the kernels to read. */
export function kernelRows(length: number): {
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly labels: Float64Array;
} {
  const k = kernels(length);
  return { a: k.rowA, b: k.rowB, labels: k.rowLabels };
}

/** Element types the kernels unshuffle. */
export type ShuffledType = 'f4' | 'i2' | 'u2';

/**
 * Row `[e0, e0 + n)` of a chunk of `elements` elements still in shuffle order (byte plane k of the chunk holds
 * byte k of every element), as float64 values in `into`.
 */
export function unshuffleRow(
  planes: Uint8Array,
  elements: number,
  e0: number,
  n: number,
  type: ShuffledType,
  into: Float64Array,
): void {
  unshufflePlanes(n, type, into, (plane) => planes.subarray(plane * elements + e0, plane * elements + e0 + n));
}

/** A row of `n` elements from its byte planes, wherever each lies (`plane(k)`: the row's n bytes of plane k). */
export function unshufflePlanes(
  n: number,
  type: ShuffledType,
  into: Float64Array,
  plane: (k: number) => Uint8Array,
): void {
  const k = kernels(n);
  const size = type === 'f4' ? 4 : 2;
  for (let p = 0; p < size; p++) k.planes.set(plane(p), p * n);
  const target = k.holds(into) ? into : k.rowScratch;
  if (type === 'f4') k.exports.unshuffleFloat32(k.planes.byteOffset, n, target.byteOffset);
  else k.exports.unshuffleInt16(k.planes.byteOffset, n, target.byteOffset, type === 'u2' ? 1 : 0);
  if (target !== into) into.set(target.subarray(0, n));
}

/** What {@link valueStatistics} adds up over a row. */
export interface RowStatistics {
  readonly sumAbs: number;
  readonly sumSquares: number;
  readonly maxAbs: number;
  readonly compared: number;
  readonly exceeding: number;
  readonly onlyA: number;
  readonly onlyB: number;
}

/** Anything that keeps a |Δ| histogram the kernels add to. */
export interface HistogramOwner {
  readonly histogram: Uint32Array;
}

/** Whose counts the kernel histogram holds: they are handed over when another owner's row comes, or on demand. */
let histogramOwner: HistogramOwner | null = null;

/** Add the counts of one |Δ| histogram to another. */
export function addHistogram(target: Uint32Array, source: Uint32Array): void {
  for (let i = 0; i < HISTOGRAM_BINS; i++) target[i]! += source[i]!;
}

function flushInto(k: Kernels, owner: HistogramOwner): void {
  addHistogram(owner.histogram, k.histogram);
  k.histogram.fill(0);
}

/** Hand the kernel histogram's counts to their owner (before the owner's histogram is read). */
export function flushHistogram(owner: HistogramOwner): void {
  if (histogramOwner !== owner || !current) return;
  flushInto(current, owner);
  histogramOwner = null;
}

/**
 * Statistics of pixels `[from, to)` of reference row `a` and candidate row `b` (see valueStatistics in kernels.wat),
 * with the |Δ| histogram counted for `owner`. Rows from {@link kernelRows} are read in place, others are copied in.
 * The kernel takes pixels two at a time: an odd count is padded with a NaN pair after the range, and the values
 * there are put back afterwards, so a range in the middle of a row leaves the row as it was.
 */
export function valueStatistics(
  a: Float64Array,
  b: Float64Array,
  from: number,
  to: number,
  fillA: number,
  fillB: number,
  abs: number,
  rel: number,
  owner: HistogramOwner,
): RowStatistics {
  const n = to - from;
  const k = kernels(n);
  if (histogramOwner !== owner) {
    if (histogramOwner) flushInto(k, histogramOwner);
    histogramOwner = owner;
  }
  // In place only where the rows have room for the padding pair after the range.
  const inPlace = k.holds(a) && k.holds(b) && a.length > to && b.length > to;
  const rowA = inPlace ? a.subarray(from) : copied(k.copyA, a.subarray(from, to), n);
  const rowB = inPlace ? b.subarray(from) : copied(k.copyB, b.subarray(from, to), n);
  const odd = (n & 1) === 1;
  const keptA = odd ? rowA[n]! : 0;
  const keptB = odd ? rowB[n]! : 0;
  if (odd) {
    rowA[n] = Number.NaN;
    rowB[n] = Number.NaN;
  }
  k.exports.valueStatistics(
    rowA.byteOffset,
    rowB.byteOffset,
    n + (odd ? 1 : 0),
    fillA,
    fillB,
    abs,
    rel,
    k.histogram.byteOffset,
    k.out.byteOffset,
  );
  if (odd) {
    rowA[n] = keptA;
    rowB[n] = keptB;
  }
  const o = k.out;
  return {
    sumAbs: o[0]!,
    sumSquares: o[1]!,
    maxAbs: o[2]!,
    compared: o[3]!,
    exceeding: o[4]!,
    onlyA: o[5]!,
    onlyB: o[6]!,
  };
}

function copied(into: Float64Array, row: Float64Array, n: number): Float64Array {
  into.set(row.subarray(0, n));
  return into;
}
