import { Mode } from '../row-settings.js';
import { findAmbiguities, unreliableCycledPixels } from '../layer-stats.js';
import type { Comparator } from './comparator.js';

/**
 * Unwrapped phase: the 2π·k each pixel is off by is counted per connected component of the reference, so a whole
 * component off by the same cycles is an unwrapping ambiguity rather than a change (never component 0).
 */
export const unwrappedPhase: Comparator = {
  mode: Mode.UnwrappedPhase,
  readsComponents: true,
  holdsLabels: false,
  explain: (totals) => ({
    ambiguities: findAmbiguities(totals.phaseCounts),
    relabelling: null,
    unreliableCycled: unreliableCycledPixels(totals.phaseCounts),
  }),
};
