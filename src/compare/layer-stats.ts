import { addComponentSums, addCount, addHistogram, HISTOGRAM_BINS, percentileFromHistogram } from './accumulator.js';
import { IRREGULAR_K, type JobSums, type LayerTotals } from './tasks.js';
import type { Ambiguity, Relabelling } from './report-schema.js';
import { UNRELIABLE_COMPONENT } from '../product/gunw-layout.js';

/** A layer's totals from every thread, merged. */
export interface MergedTotals {
  validReference: number;
  validCandidate: number;
  nanMismatch: number;
  compared: number;
  exceeding: number;
  sumAbs: number;
  sumSquares: number;
  maxAbs: number;
  readonly histogram: Uint32Array;
  readonly labelPairs: Map<number, Map<number, number>>;
  readonly phaseCounts: Map<number, Map<number, number>>;
  readonly componentSums: Map<number, [number, number, number, number]>;
  unlabelledMaxAbs: number;
  readonly unlabelledSums: [number, number, number];
}

export function emptyTotals(): MergedTotals {
  return {
    validReference: 0,
    validCandidate: 0,
    nanMismatch: 0,
    compared: 0,
    exceeding: 0,
    sumAbs: 0,
    sumSquares: 0,
    maxAbs: 0,
    histogram: new Uint32Array(HISTOGRAM_BINS),
    labelPairs: new Map(),
    phaseCounts: new Map(),
    componentSums: new Map(),
    unlabelledMaxAbs: 0,
    unlabelledSums: [0, 0, 0],
  };
}

function addTriples(into: Map<number, Map<number, number>>, triples: readonly number[]): void {
  for (let i = 0; i + 2 < triples.length; i += 3) addCount(into, triples[i]!, triples[i + 1]!, triples[i + 2]!);
}

/** A job's float sums; added in task order (see {@link JobSums}). */
export function mergeSums(into: MergedTotals, part: JobSums): void {
  into.sumAbs += part.sumAbs;
  into.sumSquares += part.sumSquares;
  const sums = part.componentSums;
  for (let i = 0; i + 4 < sums.length; i += 5)
    addComponentSums(into.componentSums, sums[i]!, sums[i + 1]!, sums[i + 2]!, sums[i + 3]!, sums[i + 4]!);
  for (let i = 0; i < 3; i++) into.unlabelledSums[i]! += part.unlabelledSums[i]!;
}

export function mergeTotals(into: MergedTotals, part: LayerTotals): void {
  into.validReference += part.validReference;
  into.validCandidate += part.validCandidate;
  into.nanMismatch += part.nanMismatch;
  into.compared += part.compared;
  into.exceeding += part.exceeding;
  into.maxAbs = Math.max(into.maxAbs, part.maxAbs);
  if (part.compared > 0) addHistogram(into.histogram, part.histogram);
  addTriples(into.labelPairs, part.labelPairs);
  addTriples(into.phaseCounts, part.phaseCounts);
  into.unlabelledMaxAbs = Math.max(into.unlabelledMaxAbs, part.unlabelledMaxAbs);
}

/**
 * The statistics over the pixels outside the given components (those the report explains by a whole 2π jump), so a
 * reader sees what differs besides them. No percentile: the histogram is not kept per component. Added up from the
 * other components and the unlabelled pixels rather than taken from the totals: subtracting a component's sums of
 * (2π)² from the layer's leaves about five good digits of the small rest.
 */
export function statisticsWithout(
  t: MergedTotals,
  components: readonly number[],
): { compared: number; maxAbsDiff: number; meanAbsDiff: number; rmse: number } {
  let [compared, sumAbs, sumSquares] = t.unlabelledSums;
  let maxAbs = t.unlabelledMaxAbs;
  for (const [component, sums] of t.componentSums) {
    if (components.includes(component)) continue;
    compared += sums[0];
    sumAbs += sums[1];
    sumSquares += sums[2];
    if (sums[3] > maxAbs) maxAbs = sums[3];
  }
  if (compared <= 0) return { compared: 0, maxAbsDiff: 0, meanAbsDiff: 0, rmse: 0 };
  return { compared, maxAbsDiff: maxAbs, meanAbsDiff: sumAbs / compared, rmse: Math.sqrt(sumSquares / compared) };
}

export interface DifferenceStatistics {
  readonly maxAbsDiff: number;
  readonly meanAbsDiff: number;
  readonly rmse: number;
  readonly p99AbsDiff: number;
}

export function differenceStatistics(t: MergedTotals): DifferenceStatistics {
  if (t.compared === 0) return { maxAbsDiff: 0, meanAbsDiff: 0, rmse: 0, p99AbsDiff: 0 };
  return {
    maxAbsDiff: t.maxAbs,
    meanAbsDiff: t.sumAbs / t.compared,
    rmse: Math.sqrt(t.sumSquares / t.compared),
    p99AbsDiff: Math.min(t.maxAbs, percentileFromHistogram(t.histogram, t.compared, 0.99)),
  };
}

/**
 * Components of the unwrapped phase whose every co-valid pixel differs by the same non-zero 2π·k: an unwrapping
 * ambiguity, not a change in the interferogram.
 */
export function findAmbiguities(phaseCounts: Map<number, Map<number, number>>): Ambiguity[] {
  const out: Ambiguity[] = [];
  for (const [component, byK] of phaseCounts) {
    // Component 0 was never unwrapped reliably: a shift there is no unwrapping ambiguity to explain.
    if (component === UNRELIABLE_COMPONENT || byK.size !== 1) continue;
    const [k, pixels] = [...byK][0]!;
    if (k !== 0 && k !== IRREGULAR_K) out.push({ component, k, pixels });
  }
  return out.sort((a, b) => a.component - b.component);
}

/** Pixels of component 0 (never unwrapped reliably) off by a whole 2π·k, k ≠ 0: failures a report names as such. */
export function unreliableCycledPixels(phaseCounts: Map<number, Map<number, number>>): number {
  let pixels = 0;
  for (const [k, count] of phaseCounts.get(UNRELIABLE_COMPONENT) ?? [])
    if (k !== 0 && k !== IRREGULAR_K) pixels += count;
  return pixels;
}

/**
 * Connected-component labels that are a renaming of each other: each reference label maps to the candidate label
 * most of its pixels carry; when that map is one-to-one and not the identity, the renamed pixels are a relabelling.
 * Returns null when there is nothing to rename or the map is not one-to-one.
 */
export function findRelabelling(labelPairs: Map<number, Map<number, number>>): Relabelling | null {
  const best = new Map<number, [number, number]>();
  for (const [reference, byCandidate] of labelPairs) {
    let top: [number, number] = [reference, -1];
    for (const [candidate, pixels] of byCandidate) if (pixels > top[1]) top = [candidate, pixels];
    best.set(reference, top);
  }
  const targets = new Set([...best.values()].map(([candidate]) => candidate));
  if (targets.size !== best.size) return null;
  const pairs: [number, number][] = [];
  let pixels = 0;
  for (const [reference, [candidate, count]] of best) {
    if (candidate === reference) continue;
    pairs.push([reference, candidate]);
    pixels += count;
  }
  return pairs.length === 0 ? null : { pairs: pairs.sort((a, b) => a[0] - b[0]), pixels };
}
