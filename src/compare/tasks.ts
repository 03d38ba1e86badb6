import type { SourceDescriptor } from '../netcdf/reader.js';
import type { ComparatorName } from '../product/gunw-layout.js';

/**
 * The unit of work the comparison is split into. Everything here is plain data so it can be posted to worker
 * threads: a table of layers (sent once) and tasks that name regions of them.
 */

export interface PreviewGrid {
  /** Reference pixels per preview cell along each of the last two dimensions. */
  readonly step: number;
  readonly rows: number;
  readonly cols: number;
  /** Reference index of the compared region's first row/column (preview cell 0). */
  readonly rowOrigin: number;
  readonly colOrigin: number;
}

export interface LayerJob {
  readonly id: number;
  readonly path: string;
  readonly comparator: ComparatorName;
  readonly abs: number;
  readonly rel: number;
  readonly reference: SourceDescriptor;
  readonly candidate: SourceDescriptor;
  /** `_FillValue` of each side, or null when only NaN marks missing data. */
  readonly referenceFill: number | null;
  readonly candidateFill: number | null;
  /** Connected components of the reference (unwrapped phase only): same shape as the layer. */
  readonly labels: { readonly source: SourceDescriptor; readonly fill: number | null } | null;
  readonly preview: PreviewGrid | null;
}

export interface Region {
  readonly referenceStart: readonly number[];
  readonly candidateStart: readonly number[];
  readonly count: readonly number[];
}

export interface Task {
  readonly id: number;
  readonly jobs: readonly { readonly layer: number; readonly region: Region }[];
  /** Pixels in all jobs, for progress. */
  readonly pixels: number;
}

/** Part of a layer's difference map: the signed difference of largest magnitude per cell, and NaN-mismatch marks. */
export interface PreviewBlock {
  readonly layer: number;
  readonly row0: number;
  readonly col0: number;
  readonly rows: number;
  readonly cols: number;
  readonly diff: Float32Array;
  readonly mismatch: Uint8Array;
  /** Unwrapped phase: the reference connected component of the pixel whose Δ a cell shows (NaN: none). */
  readonly labels: Float32Array | null;
}

/**
 * One job's floating-point sums, taken apart from the thread's running totals: which thread compares which task
 * depends on timing, and float addition depends on order, so the main thread adds these in task order and a report
 * is the same to the last digit on every run.
 */
export interface JobSums {
  readonly layer: number;
  readonly sumAbs: number;
  readonly sumSquares: number;
  /** Flattened (component, compared, Σ|Δ|, ΣΔ², max |Δ|) quintuples, as in {@link LayerTotals.componentSums}. */
  readonly componentSums: readonly number[];
  /** Compared, Σ|Δ|, ΣΔ² of the pixels outside any component (unwrapped phase). */
  readonly unlabelledSums: readonly [number, number, number];
}

export interface TaskOutcome {
  readonly id: number;
  readonly pixels: number;
  readonly previews: readonly PreviewBlock[];
  /** Per job, in the task's order. */
  readonly sums: readonly JobSums[];
}

/**
 * One worker's running totals for one layer, merged by the main thread at the end. Its float sums (`sumAbs`,
 * `sumSquares`, the sums in `componentSums`) are 0 and empty: they travel per job in {@link TaskOutcome.sums}.
 */
export interface LayerTotals {
  readonly layer: number;
  readonly validReference: number;
  readonly validCandidate: number;
  readonly nanMismatch: number;
  readonly compared: number;
  readonly exceeding: number;
  readonly sumAbs: number;
  readonly sumSquares: number;
  readonly maxAbs: number;
  readonly histogram: Uint32Array;
  /** Flattened (reference label, candidate label, pixels) triples over co-valid pixels (labels comparator). */
  readonly labelPairs: readonly number[];
  /** Flattened (component, k, pixels) triples (unwrapped-phase comparator); k = IRREGULAR_K when not 2π·k. */
  readonly phaseCounts: readonly number[];
  /** Flattened (component, compared, Σ|Δ|, ΣΔ², max |Δ|) quintuples (unwrapped phase), for statistics without some. */
  readonly componentSums: readonly number[];
  /** Max |Δ| of compared pixels outside any component (no label, or the label's fill). */
  readonly unlabelledMaxAbs: number;
}

/** Marks a pixel whose difference is not a whole number of cycles (a non-integer never collides with a real k). */
export const IRREGULAR_K = 0.5;
