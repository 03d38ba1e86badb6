import { Mode } from '../row-settings.js';
import { NOTHING_EXPLAINED, type Comparator } from './comparator.js';

/** Plain numbers: |Δ| against abs + rel·|reference|, nothing explained away. */
export const values: Comparator = {
  mode: Mode.Values,
  readsComponents: false,
  holdsLabels: false,
  explain: () => NOTHING_EXPLAINED,
};
