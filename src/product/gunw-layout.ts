/**
 * What this project knows about the layout of an ARIA S1-GUNW product (v2/v3, as
 * the plugin's `packaging.py` writes it; docs/packaging.md): which variables are science layers, which are coordinates,
 * how each layer should be compared, and which attributes carry provenance. Everything else in the code asks here
 * instead of hard-coding GUNW names.
 */

import { DATA_LAYERS, type ComparatorName } from './layer-catalogue.js';

export { COMPARATOR_NAMES, type ComparatorName } from './layer-catalogue.js';

export interface LayerKnowledge {
  /** Glob over the variable path: `*` within one path segment, `**` across segments. */
  readonly match: string;
  readonly description: string;
  readonly units: string;
  readonly comparator: ComparatorName;
  /** Absolute tolerance in the layer's units. */
  readonly abs: number;
  /** Relative tolerance (fraction of |reference|). */
  readonly rel: number;
}

export const GUNW_GROUPS = {
  data: '/science/grids/data',
  imagingGeometry: '/science/grids/imagingGeometry',
  ionosphere: '/science/grids/corrections/derived/ionosphere',
  ionosphereBurstRamps: '/science/grids/corrections/derived/ionosphereBurstRamps',
  solidEarthTide: '/science/grids/corrections/external/tides/solidEarth',
  troposphere: '/science/grids/corrections/external/troposphere',
  radarMetaData: '/science/radarMetaData',
} as const;

/**
 * What the comparison knows of every layer, most specific first. Tolerances are the built-in default profile
 * (docs/tolerances.md).
 */
export const GUNW_LAYERS: readonly LayerKnowledge[] = [
  // The data grid's layers, from their one definition (units as the product writes them; 'unitless' where none).
  ...DATA_LAYERS.map((l) => ({
    match: `**/data/${l.name}`,
    description: l.title,
    units: l.units ?? 'unitless',
    comparator: l.comparator,
    abs: l.abs,
    rel: l.rel,
  })),
  {
    match: '**/imagingGeometry/*Baseline',
    description: 'Baseline',
    units: 'meter',
    comparator: 'values',
    abs: 1e-3,
    rel: 0,
  },
  {
    match: '**/imagingGeometry/*Angle',
    description: 'Angle',
    units: 'degrees',
    comparator: 'values',
    abs: 1e-3,
    rel: 0,
  },
  {
    match: '**/ionosphere/ionosphere',
    description: 'Ionosphere phase correction',
    units: 'rad',
    comparator: 'values',
    abs: 1e-3,
    rel: 0,
  },
  {
    match: '**/ionosphereBurstRamps/ionosphereBurstRamps',
    description: 'Ionosphere burst ramps',
    units: 'rad',
    comparator: 'values',
    abs: 1e-3,
    rel: 0,
  },
  {
    match: '**/solidEarthTide',
    description: 'Solid Earth tide',
    units: 'rad',
    comparator: 'values',
    abs: 1e-4,
    rel: 0,
  },
  { match: '**/troposphere*', description: 'Troposphere delay', units: 'rad', comparator: 'values', abs: 1e-4, rel: 0 },
  {
    match: '**/latitude*',
    description: 'Latitude coordinate',
    units: 'degrees_north',
    comparator: 'values',
    abs: 1e-9,
    rel: 0,
  },
  {
    match: '**/longitude*',
    description: 'Longitude coordinate',
    units: 'degrees_east',
    comparator: 'values',
    abs: 1e-9,
    rel: 0,
  },
  { match: '**/height*', description: 'Height coordinate', units: 'meter', comparator: 'values', abs: 1e-6, rel: 0 },
  {
    match: '/science/radarMetaData/**',
    description: 'Radar metadata',
    units: '',
    comparator: 'values',
    abs: 0,
    rel: 1e-6,
  },
  { match: '**', description: 'Other numeric variable', units: '', comparator: 'values', abs: 1e-6, rel: 1e-6 },
];

/** Each unwrapped-phase layer finds its connected components in the same group under this name. */
export const CONNECTED_COMPONENTS_NAME = 'connectedComponents';

/**
 * SNAPHU writes 0 for pixels that belong to no reliable component; they do not form a connected region, so they
 * are never reported as a 2π ambiguity.
 */
export const UNRELIABLE_COMPONENT = 0;

/** Root attributes holding the command line that made the product, in order of preference. */
export const COMMAND_LINE_ATTRIBUTES = ['topsapp_command_line_string', 'provenance'] as const;

/** Attributes and text variables that carry software or format versions: listed separately, never a failure. */
export function isVersionName(name: string): boolean {
  return /version/i.test(name);
}

/** Coordinate names (and CF standard names) that mark a latitude or longitude axis. */
export function axisKind(name: string, standardName?: string): 'latitude' | 'longitude' | null {
  const lower = name.toLowerCase();
  const standard = standardName?.toLowerCase();
  if (standard === 'latitude' || lower === 'lat' || lower.startsWith('lat_') || lower.startsWith('latitude'))
    return 'latitude';
  if (standard === 'longitude' || lower === 'lon' || lower.startsWith('lon_') || lower.startsWith('longitude'))
    return 'longitude';
  return null;
}

/** Provenance parameters that legitimately differ between two runs of the same job (where the output went). */
export const DELIVERY_PARAMETERS = ['bucket', 'bucket-prefix', 'username', 'esa-username', 'omp-num-threads'] as const;
