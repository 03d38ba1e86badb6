import type { LayerAccumulator } from './accumulator.js';

/** What every row pass of the comparison shares: its modes and the settings constant over a job's rows. */

export const TWO_PI = 2 * Math.PI;

/** How a row's differences are formed and what else is tracked (numbers, so the hot loop compares integers). */
export const Mode = { Values: 0, WrappedPhase: 1, UnwrappedPhase: 2, Labels: 3 } as const;
export type Mode = (typeof Mode)[keyof typeof Mode];

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
  /** Scratch for |Δ| of the row's co-valid pixels, at least as long as a row. */
  readonly scratch: Float32Array;
  readonly scratchBits: Uint32Array;
  /** Scratch for Δ of every pixel of the row (NaN where not valid in both), at least as long as a row. */
  readonly deltas: Float64Array;
  /** Preview cells of this row (or null): the cell index of each column, and the block's arrays. */
  readonly previewDiff: Float32Array | null;
  readonly previewMismatch: Uint8Array | null;
  readonly previewColumn: Int32Array | null;
  /** The reference component of the pixel each cell shows (unwrapped phase), or null. */
  readonly previewLabels: Float32Array | null;
}
