import { Mode } from '../row-settings.js';
import { findRelabelling } from '../layer-stats.js';
import type { Comparator } from './comparator.js';

/** Labels (connected components): a one-to-one renaming of the reference's labels is a relabelling, not a change. */
export const labels: Comparator = {
  mode: Mode.Labels,
  readsComponents: false,
  holdsLabels: true,
  explain: (totals) => ({ ambiguities: [], relabelling: findRelabelling(totals.labelPairs), unreliableCycled: 0 }),
};
