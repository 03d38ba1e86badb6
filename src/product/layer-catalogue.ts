import type { GunwSlcParameters } from './parameters.js';

/**
 * How a layer's values are compared (the kernel's modes, src/compare/kernel.ts): the one list the type, the report
 * and profile schemas and the kernel's mode table are made from.
 */
export const COMPARATOR_NAMES = ['values', 'unwrapped-phase', 'wrapped-phase', 'labels'] as const;
export type ComparatorName = (typeof COMPARATOR_NAMES)[number];

/**
 * The data-grid layers of a GUNW (`/science/grids/data`), one entry each: where packaging reads it (ISCE2 merged
 * raster and band), what the product says about it (description, units, fill), which job parameter asks for it,
 * and how a regression compares it (comparator and default tolerances, docs/tolerances.md). Packaging, the plan and
 * the diff profile are all made from this list: adding a layer is one entry (and its test).
 */

type Flag = 'dense_offsets' | 'unfiltered_coherence' | 'wrapped_phase_layer';

export interface DataLayerEntry {
  readonly name: string;
  /** Short name in reports and `gunw profile show`. */
  readonly title: string;
  /** The layer's `description` attribute in the product. */
  readonly description: string;
  /** The layer's `units` attribute; absent where the plugin writes none. */
  readonly units?: string;
  readonly fill: number;
  /** The ISCE2 raster in `merged/` (with its .xml) and the band, 1-based. */
  readonly file: string;
  readonly band: number;
  /** Complex rasters: which part becomes the layer. */
  readonly complex?: 'magnitude' | 'phase';
  /** Where the amplitude is 0 (outside the swath) the layer holds this, as the plugin's packaging does. */
  readonly outsideSwath?: number;
  /** The job parameter that asks for the layer; always written when absent. */
  readonly enabledBy?: Flag;
  /** Which of the product's coherence means this layer's values feed. */
  readonly statistic?: 'filtered' | 'unfiltered';
  readonly comparator: ComparatorName;
  readonly abs: number;
  readonly rel: number;
}

const offsetNote = (axis: string, factor: string): string =>
  `${axis} pixel offsets measured through patch correlation. To translate into meters, multiply by ${factor} as indicated here: https://sentinels.copernicus.eu/web/sentinel/technical-guides/sentinel-1-sar/products-algorithms/level-1/single-look-complex/interferometric-wide-swath`;

/** In the order the product lists them. */
export const DATA_LAYERS: readonly DataLayerEntry[] = [
  {
    name: 'unwrappedPhase',
    title: 'Unwrapped phase',
    description: 'Unwrapped phase',
    units: 'rad',
    fill: 0,
    file: 'filt_topophase.unw.geo',
    band: 2,
    comparator: 'unwrapped-phase',
    abs: 1e-3,
    rel: 0,
  },
  {
    name: 'coherence',
    title: 'Filtered coherence',
    description: 'Coherence',
    units: 'unitless',
    fill: 0,
    file: 'phsig.cor.geo',
    band: 1,
    outsideSwath: 0,
    statistic: 'filtered',
    comparator: 'values',
    abs: 1e-3,
    rel: 0,
  },
  {
    name: 'connectedComponents',
    title: 'SNAPHU connected components',
    description: 'Snaphu connected components',
    units: 'unitless',
    fill: -1,
    file: 'filt_topophase.unw.conncomp.geo',
    band: 1,
    outsideSwath: -1,
    comparator: 'labels',
    abs: 0,
    rel: 0,
  },
  {
    name: 'amplitude',
    title: 'Amplitude',
    description: 'Amplitude',
    units: 'watt',
    fill: 0,
    file: 'filt_topophase.unw.geo',
    band: 1,
    comparator: 'values',
    abs: 1e-3,
    rel: 1e-6,
  },
  {
    name: 'rangePixelOffsets',
    title: 'Range pixel offsets',
    description: offsetNote('Range', '2.3'),
    units: 'range radar pixel',
    fill: Number.NaN,
    file: 'dense_offsets.bil.geo',
    band: 2,
    enabledBy: 'dense_offsets',
    comparator: 'values',
    abs: 1e-3,
    rel: 0,
  },
  {
    name: 'azimuthPixelOffsets',
    title: 'Azimuth pixel offsets',
    description: offsetNote('Azimuth', '14.1'),
    units: 'azimuth radar pixel',
    fill: Number.NaN,
    file: 'dense_offsets.bil.geo',
    band: 1,
    enabledBy: 'dense_offsets',
    comparator: 'values',
    abs: 1e-3,
    rel: 0,
  },
  {
    name: 'unfilteredCoherence',
    title: 'Unfiltered coherence',
    description: 'Coherence without filters applied',
    fill: 0,
    file: 'topophase.cor.geo',
    band: 2,
    enabledBy: 'unfiltered_coherence',
    statistic: 'unfiltered',
    comparator: 'values',
    abs: 1e-3,
    rel: 0,
  },
  {
    name: 'wrappedPhase',
    title: 'Wrapped phase',
    description: 'Wrapped phase',
    units: 'rad',
    fill: 0,
    file: 'filt_topophase.flat.geo',
    band: 1,
    complex: 'phase',
    outsideSwath: 0,
    enabledBy: 'wrapped_phase_layer',
    comparator: 'wrapped-phase',
    abs: 1e-3,
    rel: 0,
  },
];

/** The data layers a job writes, in product order. */
export function dataLayersFor(p: Pick<GunwSlcParameters, Flag>): DataLayerEntry[] {
  return DATA_LAYERS.filter((layer) => layer.enabledBy === undefined || p[layer.enabledBy]);
}

/** The catalogue's entry for the layer `name`. */
export function dataLayer(name: string): DataLayerEntry {
  const entry = DATA_LAYERS.find((layer) => layer.name === name);
  if (!entry) throw new Error(`no data layer named ${name} in the catalogue`);
  return entry;
}
