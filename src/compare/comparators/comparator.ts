import type { Mode } from '../row-settings.js';
import type { MergedTotals } from '../layer-stats.js';
import type { LayerReport } from '../report-schema.js';

/** What a layer's totals explain: differences that are not changes of the product (see docs/tolerances.md). */
export interface Explanation {
  readonly ambiguities: LayerReport['ambiguities'];
  readonly relabelling: LayerReport['relabelling'];
  /** Pixels of component 0 off by whole 2π cycles: failures, named as such in the reason. */
  readonly unreliableCycled: number;
}

export const NOTHING_EXPLAINED: Explanation = { ambiguities: [], relabelling: null, unreliableCycled: 0 };

/**
 * How one kind of layer is compared. Each comparator is one module of this folder, registered in one line of
 * `index.ts`; the engine, the task planner and the task runner ask it instead of testing its name.
 */
export interface Comparator {
  /** The kernel pass that takes each pixel's Δ (and what it counts on the side). */
  readonly mode: Mode;
  /** Reads the reference's connected components along with the layer, region by region. */
  readonly readsComponents: boolean;
  /** The layer is labels itself: its tasks run first, so labels a phase layer shares are decoded once. */
  readonly holdsLabels: boolean;
  explain(totals: MergedTotals): Explanation;
}
