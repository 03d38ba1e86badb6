import type { ComparatorName } from '../../product/gunw-layout.js';
import type { Comparator } from './comparator.js';
import { labels } from './labels.js';
import { unwrappedPhase } from './unwrapped-phase.js';
import { values } from './values.js';
import { wrappedPhase } from './wrapped-phase.js';

export type { Comparator, Explanation } from './comparator.js';

/** Every comparator by the name profiles and reports use (the names: `COMPARATOR_NAMES`, product/layer-catalogue.ts). */
export const COMPARATORS: Readonly<Record<ComparatorName, Comparator>> = {
  values,
  'wrapped-phase': wrappedPhase,
  'unwrapped-phase': unwrappedPhase,
  labels,
};
