import type { AsfProduct, SceneProperties } from '../io/cmr.js';
import { parseSceneName, slcFile } from '../product/scenes.js';
import { isce2RequirementOf, missionsOf, MISSIONS, type Isce2Requirement } from '../product/missions.js';
import { SAR_MPC_API } from '../io/aux-cal.js';
import type { SceneSearch } from './scene-search.js';
import type { Frame } from '../product/frames.js';
import { bounds, toGeoJson, type Bounds } from '../product/geometry.js';
import { DATASET_VERSION, gunwProductId } from '../product/gunw-id.js';
import { isStandardProduct, type GunwSlcParameters } from '../product/parameters.js';
import type { SceneGeometry } from './checks.js';
import type { TopsappInputs } from './topsapp-config.js';
import { dataLayersFor } from '../product/layer-catalogue.js';

/**
 * Everything a GUNW job will do, decided before anything is downloaded (pure): the product's identity, the
 * scenes, the frame, the extents, the files to localize, the topsApp steps and the packaging layers. `--dry-run`
 * prints this and writes it to plan.json.
 */

export const TOPSAPP_STEPS = [
  'startup',
  'preprocess',
  'computeBaselines',
  'verifyDEM',
  'topo',
  'subsetoverlaps',
  'coarseoffsets',
  'coarseresamp',
  'overlapifg',
  'prepesd',
  'esd',
  'rangecoreg',
  'fineoffsets',
  'fineresamp',
  'ion',
  'burstifg',
  'mergebursts',
  'filter',
  'unwrap',
  'unwrap2stage',
  'geocode',
  'denseoffsets',
  'filteroffsets',
  'geocodeoffsets',
] as const;

/** Range and azimuth looks that give the output pixel size (metres). */
export const LOOKS: Readonly<Record<30 | 90, { range: number; azimuth: number }>> = {
  90: { range: 19, azimuth: 7 },
  30: { range: 7, azimuth: 3 },
};

export const DEM_BUFFER_DEG = 0.4;
export const WATER_MASK_BUFFER_DEG = 0.1;

/** Where localization fetches from (each configurable on the command line). */
export interface Endpoints {
  readonly orbits: string;
  /** Aux-cal bundle zips to use instead of those of the pair's missions (null: the missions' own). */
  readonly auxCal?: readonly string[] | null;
  /** The AUX_CAL catalogue the pair's missions are completed from (null: none). */
  readonly auxCalCatalogue?: string | null;
}

export const DEFAULT_ENDPOINTS = {
  orbits: 'https://s1-orbits.asf.alaska.edu',
  auxCal: null,
  auxCalCatalogue: SAR_MPC_API,
} as const satisfies Endpoints;

/** Files the user supplies instead of having them made. */
export interface SuppliedFiles {
  /** An ISCE2 DEM (`.wgs84` with its `.xml`), used at full and geocoding resolution. */
  readonly dem: string | null;
  /** A water mask raster (ISCE2, non-zero = water) for the coherence statistics. */
  readonly waterMask: string | null;
}

export type { SceneProperties };

export interface Localization {
  readonly slcs: readonly {
    readonly scene: string;
    readonly url: string;
    readonly file: string;
    readonly bytes: number | null;
  }[];
  readonly orbits: readonly { readonly scene: string; readonly url: string }[];
  readonly orbitDirectory: string;
  /** `from`: a DEM the user gave, or null to make one from Copernicus GLO-30 at the product's resolution. */
  readonly dem: {
    readonly bounds: Bounds;
    readonly resolution: 30 | 90;
    readonly fullResolution: string;
    readonly lowResolution: string;
    readonly from: string | null;
  };
  /** `from`: a mask the user gave, or null to make one from the Pekel water occurrence tiles. */
  readonly waterMask: { readonly bounds: Bounds; readonly file: string; readonly from: string | null };
  /**
   * Calibration files for the pair's missions, as production gathers them: ASF's bundle of each mission that has
   * one (Sentinel-1A, 1B), completed from ESA's catalogue for every mission of the pair (the only source for 1C, 1D).
   */
  readonly auxCal: {
    readonly missions: readonly string[];
    readonly bundles: readonly string[];
    readonly catalogue: { readonly url: string; readonly missions: readonly string[] } | null;
    readonly directory: string;
  };
}

/** The aux-cal sources of a set of scenes: their missions' bundles (or the user's) and the catalogue. */
export function auxCalOf(
  scenes: readonly { readonly sceneName: string }[],
  endpoints: Endpoints,
): Localization['auxCal'] {
  const missions = missionsOf(scenes.map((s) => parseSceneName(s.sceneName)).filter((s) => s !== null));
  const codes = missions.map((m) => `S1${m}`);
  const bundles =
    endpoints.auxCal ?? missions.map((m) => MISSIONS[m].auxCalBundle).filter((u): u is string => u !== null);
  const catalogue =
    endpoints.auxCalCatalogue === undefined ? DEFAULT_ENDPOINTS.auxCalCatalogue : endpoints.auxCalCatalogue;
  return {
    missions: codes,
    bundles: [...bundles],
    catalogue: catalogue ? { url: catalogue, missions: codes } : null,
    directory: 'aux_cal',
  };
}

/** What to fetch for a pair of scene lists over an area (shared by the SLC and burst entry points). */
export function localizationOf(
  scenes: readonly AsfProduct[],
  area: Bounds,
  options: { endpoints: Endpoints; supplied: SuppliedFiles; resolution: 30 | 90 },
): Localization {
  return {
    slcs: scenes.map((s) => ({
      scene: s.properties.sceneName,
      url: s.properties.url,
      file: slcFile(s.properties),
      bytes: s.properties.bytes,
    })),
    orbits: scenes.map((s) => ({
      scene: s.properties.sceneName,
      url: `${options.endpoints.orbits.replace(/\/+$/, '')}/scene/${s.properties.sceneName}`,
    })),
    orbitDirectory: 'orbits',
    dem: {
      bounds: bufferedBounds(area, DEM_BUFFER_DEG),
      resolution: options.resolution,
      fullResolution: 'full_res.dem.wgs84',
      lowResolution: 'low_res.dem.wgs84',
      from: options.supplied.dem,
    },
    waterMask: {
      bounds: bufferedBounds(area, WATER_MASK_BUFFER_DEG),
      file: 'water_mask.wgs84',
      from: options.supplied.waterMask,
    },
    auxCal: auxCalOf(
      scenes.map((s) => s.properties),
      options.endpoints,
    ),
  };
}

export interface ProcessingPlan {
  readonly entrypoint: 'gunw_slc';
  readonly productId: string;
  readonly standard: boolean;
  readonly datasetVersion: string;
  readonly parameters: GunwSlcParameters;
  readonly commandLine: string;
  /** How the scenes were found when the job gave dates (null: the job named them). */
  readonly search: SceneSearch | null;
  /** The ISCE2 the pair's missions need (the image's pins one that reads Sentinel-1A to 1C). */
  readonly isce2: Isce2Requirement;
  readonly frame: { readonly id: number; readonly footprintBounds: Bounds; readonly processingBounds: Bounds } | null;
  readonly scenes: { readonly reference: readonly SceneProperties[]; readonly secondary: readonly SceneProperties[] };
  /** `[xmin, ymin, xmax, ymax]` of the product geometry (names the product). */
  readonly extent: Bounds;
  readonly processingExtent: Bounds;
  /** ISCE2's region of interest, `[south, north, west, east]`. */
  readonly regionOfInterest: readonly [number, number, number, number];
  readonly geometry: ReturnType<typeof toGeoJson>;
  readonly localize: Localization;
  readonly topsapp: {
    readonly config: string;
    readonly steps: readonly string[];
    readonly looks: { readonly range: number; readonly azimuth: number };
  };
  readonly ionosphere: boolean;
  readonly packaging: { readonly layers: readonly string[] };
}

export function bufferedBounds(extent: Bounds, buffer: number): Bounds {
  return [
    Math.floor(extent[0] - buffer),
    Math.floor(extent[1] - buffer),
    Math.ceil(extent[2] + buffer),
    Math.ceil(extent[3] + buffer),
  ];
}

/** The layers of the product: always the data grid and imaging geometry, then what the parameters add. */
export function packagingLayers(p: GunwSlcParameters): string[] {
  const data = dataLayersFor(p);
  const layers = [...data.filter((l) => !l.enabledBy).map((l) => l.name), 'imagingGeometry'];
  if (p.estimate_ionosphere_delay) layers.push('ionosphere', 'ionosphereBurstRamps');
  layers.push(...data.filter((l) => l.enabledBy).map((l) => l.name));
  if (p.compute_solid_earth_tide) layers.push('solidEarthTide/reference', 'solidEarthTide/secondary');
  return layers;
}

export function buildPlan(input: {
  parameters: GunwSlcParameters;
  reference: readonly AsfProduct[];
  secondary: readonly AsfProduct[];
  frame: Frame | null;
  geometry: SceneGeometry;
  commandLine: string;
  search?: SceneSearch | null;
  endpoints?: Endpoints;
  supplied?: SuppliedFiles;
  datasetVersion?: string;
}): ProcessingPlan {
  const { parameters: p, frame, geometry } = input;
  const endpoints = input.endpoints ?? DEFAULT_ENDPOINTS;
  const supplied = input.supplied ?? { dem: null, waterMask: null };
  const standard = isStandardProduct(p);
  const extent = bounds(geometry.product);
  const processingExtent = bounds(geometry.processing);
  const datasetVersion = input.datasetVersion ?? DATASET_VERSION;
  const productId = gunwProductId({
    reference: input.reference.map((r) => r.properties),
    secondary: input.secondary.map((s) => s.properties),
    extent,
    standard,
    datasetVersion,
  });
  const scenes = [...input.reference, ...input.secondary];
  return {
    entrypoint: 'gunw_slc',
    productId,
    standard,
    datasetVersion,
    parameters: p,
    commandLine: input.commandLine,
    search: input.search ?? null,
    isce2: isce2RequirementOf(
      missionsOf(scenes.map((s) => parseSceneName(s.properties.sceneName)).filter((s) => s !== null)),
    ),
    frame: frame
      ? { id: frame.id, footprintBounds: bounds(frame.footprint), processingBounds: bounds(frame.processing) }
      : null,
    scenes: {
      reference: input.reference.map((r) => r.properties),
      secondary: input.secondary.map((s) => s.properties),
    },
    extent,
    processingExtent,
    regionOfInterest: [processingExtent[1], processingExtent[3], processingExtent[0], processingExtent[2]],
    geometry: toGeoJson(geometry.product),
    localize: localizationOf(scenes, extent, { endpoints, supplied, resolution: p.output_resolution }),
    topsapp: { config: 'topsApp.xml', steps: [...TOPSAPP_STEPS], looks: LOOKS[p.output_resolution] },
    ionosphere: p.estimate_ionosphere_delay,
    packaging: { layers: packagingLayers(p) },
  };
}

/** The topsApp.xml values of a GUNW job. */
export function topsappInputsOf(plan: ProcessingPlan): TopsappInputs {
  const zips = (scenes: readonly SceneProperties[]): string[] => scenes.map(slcFile);
  return {
    referenceZips: zips(plan.scenes.reference),
    secondaryZips: zips(plan.scenes.secondary),
    regionOfInterest: plan.regionOfInterest,
    looks: plan.topsapp.looks,
    esdCoherenceThreshold: plan.parameters.esd_coherence_threshold,
    denseOffsets: plan.parameters.dense_offsets,
    ionosphere: plan.ionosphere,
    filterStrength: plan.parameters.goldstein_filter_power,
    demFilename: plan.localize.dem.fullResolution,
    geocodeDemFilename: plan.localize.dem.lowResolution,
  };
}
