import { Mode } from '../row-settings.js';
import { NOTHING_EXPLAINED, type Comparator } from './comparator.js';

/** Wrapped phase: Δ taken modulo 2π, so −π and π are the same phase. */
export const wrappedPhase: Comparator = {
  mode: Mode.WrappedPhase,
  readsComponents: false,
  holdsLabels: false,
  explain: () => NOTHING_EXPLAINED,
};
