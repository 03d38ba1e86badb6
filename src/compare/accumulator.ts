import { addHistogram, flushHistogram, HISTOGRAM_BINS } from '../wasm/kernels.js';
import type { JobSums, LayerTotals } from './tasks.js';

/**
 * What one thread gathers about one layer while the kernel (kernel.ts) walks its rows: counts and sums, the |Δ|
 * histogram, label pairs and per-component cycle counts and sums; and the percentile read back from the histogram.
 */

export { addHistogram, HISTOGRAM_BINS };
/** |Δ| is binned by the top 16 bits of its float32 pattern below the sign: 8 exponent + 8 mantissa bits. */
export const HISTOGRAM_SHIFT = 15;

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
  /** component -> [compared, Σ|Δ|, ΣΔ², max |Δ|] (unwrapped phase) */
  readonly componentSums = new Map<number, [number, number, number, number]>();
  unlabelledMaxAbs = 0;
  /**
   * Compared, Σ|Δ|, ΣΔ² of the pixels outside any component, so that statistics without some components are sums,
   * not differences.
   */
  readonly unlabelledSums: [number, number, number] = [0, 0, 0];

  constructor(readonly layer: number) {}

  /** The float sums gathered since the last call, which start again from zero (see {@link JobSums}). */
  takeSums(): JobSums {
    const sums: JobSums = {
      layer: this.layer,
      sumAbs: this.sumAbs,
      sumSquares: this.sumSquares,
      componentSums: [...this.componentSums].flatMap(([component, values]) => [component, ...values]),
      unlabelledSums: [...this.unlabelledSums],
    };
    this.sumAbs = 0;
    this.sumSquares = 0;
    this.componentSums.clear();
    this.unlabelledSums.fill(0);
    return sums;
  }

  totals(): LayerTotals {
    flushHistogram(this);
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
      componentSums: [...this.componentSums].flatMap(([component, sums]) => [component, ...sums]),
      unlabelledMaxAbs: this.unlabelledMaxAbs,
    };
  }
}

/** Adds a row's counts and sums to the layer's accumulator. */
export function addRow(
  acc: LayerAccumulator,
  m: number,
  onlyA: number,
  onlyB: number,
  exceeding: number,
  sumAbs: number,
  sumSquares: number,
  maxAbs: number,
): void {
  acc.validReference += m + onlyA;
  acc.validCandidate += m + onlyB;
  acc.nanMismatch += onlyA + onlyB;
  acc.compared += m;
  acc.exceeding += exceeding;
  acc.sumAbs += sumAbs;
  acc.sumSquares += sumSquares;
  acc.maxAbs = maxAbs;
}

/** Adds compared pixels and their sums outside any component. */
export function addUnlabelledSums(acc: LayerAccumulator, compared: number, sumAbs: number, sumSquares: number): void {
  acc.unlabelledSums[0] += compared;
  acc.unlabelledSums[1] += sumAbs;
  acc.unlabelledSums[2] += sumSquares;
}

/** Adds a run's compared pixels and sums to its component's. */
export function addComponentSums(
  map: Map<number, [number, number, number, number]>,
  component: number,
  compared: number,
  sumAbs: number,
  sumSquares: number,
  maxAbs: number,
): void {
  const sums = map.get(component);
  if (!sums) map.set(component, [compared, sumAbs, sumSquares, maxAbs]);
  else {
    sums[0] += compared;
    sums[1] += sumAbs;
    sums[2] += sumSquares;
    if (maxAbs > sums[3]) sums[3] = maxAbs;
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
