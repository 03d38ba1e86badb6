import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../errors.js';
import { searchSlcScenes, type AsfProduct } from '../io/cmr.js';
import { readZipFile } from '../io/zip.js';
import { boxAround, burstFootprint, parseSwathAnnotation, type SwathAnnotation } from '../isce/annotation.js';
import { bounds, intersection, isEmpty, union, type Bounds } from '../product/geometry.js';
import type { GunwBurstParameters } from '../product/parameters.js';
import { checkSceneMetadata, checkSceneNames } from './checks.js';
import type { PlanSources } from './gunw-slc.js';
import { DEFAULT_ENDPOINTS, localizationOf, TOPSAPP_STEPS, type Localization, type SceneProperties } from './plan.js';
import type { Step } from './runner.js';
import type { TopsappInputs } from './topsapp-config.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { slcFile } from '../product/scenes.js';

/**
 * The `gunw_burst` entry point: an interferogram of one burst (swath `image_number`, burst `burst_number` of the
 * reference scene) with the given looks. The original prototype could not run; this is a new design on the same
 * arguments. Whole SLC zips are localized (the burst extractor it relied on is gone), and the region of interest
 * is a small box at the centre of the reference burst, read from the reference annotation once the zip is here,
 * so that topsApp processes exactly that burst.
 */

export const BURST_REGION_FILE = 'burst-region.json';
/** Half-width of the region-of-interest box in degrees: well inside one burst (about 20 km along track). */
export const BURST_BOX_DEG = 0.005;
/** topsApp steps for a burst: no ESD (one burst has no overlaps) and no dense offsets. */
export const BURST_TOPSAPP_STEPS = TOPSAPP_STEPS.filter(
  (s) => !['denseoffsets', 'filteroffsets', 'geocodeoffsets'].includes(s),
);

export interface BurstPlan {
  readonly entrypoint: 'gunw_burst';
  readonly parameters: GunwBurstParameters;
  readonly commandLine: string;
  readonly scenes: { readonly reference: readonly SceneProperties[]; readonly secondary: readonly SceneProperties[] };
  readonly burst: { readonly swath: number; readonly number: number; readonly regionFile: string };
  /** Bounds of the two scenes' overlap (the DEM covers it). */
  readonly overlap: Bounds;
  readonly localize: Localization;
  readonly topsapp: {
    readonly config: string;
    readonly steps: readonly string[];
    readonly looks: { readonly range: number; readonly azimuth: number };
    readonly swaths: readonly number[];
  };
  readonly ionosphere: boolean;
  /** What is delivered: the geocoded rasters of merged/. */
  readonly outputs: string;
}

export async function planGunwBurst(
  parameters: GunwBurstParameters,
  commandLine: string,
  sources: Omit<PlanSources, 'frames' | 'cacheDir'>,
): Promise<BurstPlan> {
  const wanted = { reference: [parameters.reference_scene], secondary: [parameters.secondary_scene] };
  const nameProblems = checkSceneNames(wanted.reference, wanted.secondary);
  if (nameProblems.length > 0) throw new ValidationError('invalid scenes', nameProblems);
  const found = await searchSlcScenes([parameters.reference_scene, parameters.secondary_scene], {
    fetch: sources.fetch,
    ...sources.cmr,
  });
  const reference = found.filter((p) => p.properties.sceneName === parameters.reference_scene);
  const secondary = found.filter((p) => p.properties.sceneName === parameters.secondary_scene);
  const { problems, geometry } = checkSceneMetadata(wanted, { reference, secondary }, null);
  if (problems.length > 0 || !geometry) throw new ValidationError('invalid scenes', problems);
  const overlap = bounds(geometry.product);
  const scenes: AsfProduct[] = [...reference, ...secondary];
  return {
    entrypoint: 'gunw_burst',
    parameters,
    commandLine,
    scenes: { reference: reference.map((r) => r.properties), secondary: secondary.map((s) => s.properties) },
    burst: { swath: parameters.image_number, number: parameters.burst_number, regionFile: BURST_REGION_FILE },
    overlap,
    localize: localizationOf(scenes, overlap, {
      endpoints: sources.endpoints ?? DEFAULT_ENDPOINTS,
      supplied: sources.supplied ?? { dem: null, waterMask: null },
      // Burst products are geocoded at topsApp's 1″ grid, like 30 m GUNWs.
      resolution: 30,
    }),
    topsapp: {
      config: 'topsApp.xml',
      steps: BURST_TOPSAPP_STEPS,
      looks: { range: parameters.range_looks, azimuth: parameters.azimuth_looks },
      swaths: [parameters.image_number],
    },
    ionosphere: parameters.estimate_ionosphere_delay,
    outputs: 'merged/*.geo*',
  };
}

/** The annotation of swath `swath` (co-polarised first: VV or HH) inside a SLC zip. */
export function swathAnnotationFromZip(zip: string, swath: number): Promise<SwathAnnotation> {
  return readZipFile(zip, async (entries) => {
    const pattern = new RegExp(`\\.SAFE/annotation/s1[abcd]-iw${swath}-slc-(vv|hh|vh|hv)-[^/]+\\.xml$`, 'i');
    const candidates = entries
      .filter((e) => pattern.test(e.name))
      .sort((a, b) => Number(/-(vh|hv)-/i.test(a.name)) - Number(/-(vh|hv)-/i.test(b.name)));
    const entry = candidates[0];
    if (!entry) throw new Error(`${zip} has no annotation for swath IW${swath}`);
    return parseSwathAnnotation((await entry.read()).toString('utf8'), `${zip}:${entry.name}`);
  });
}

export interface BurstRegion {
  /** `[xmin, ymin, xmax, ymax]` of the box processed. */
  readonly bounds: Bounds;
  readonly centre: readonly [number, number];
  readonly footprint: unknown;
}

/** The region of interest of the burst: a box at the centre of its footprint, which the secondary must cover. */
export function burstRegion(reference: SwathAnnotation, secondary: SwathAnnotation, burst: number): BurstRegion {
  const footprint = burstFootprint(reference, burst, 'reference annotation');
  const ring = footprint[0]!.slice(0, -1);
  const centre: [number, number] = [
    ring.reduce((s, p) => s + p[0], 0) / ring.length,
    ring.reduce((s, p) => s + p[1], 0) / ring.length,
  ];
  const box = boxAround(centre, BURST_BOX_DEG);
  const boxPolygon: [number, number][][] = [
    [
      [box[0], box[1]],
      [box[2], box[1]],
      [box[2], box[3]],
      [box[0], box[3]],
      [box[0], box[1]],
    ],
  ];
  const secondaryBursts = union(
    ...Array.from({ length: secondary.burstCount }, (_, i) => burstFootprint(secondary, i + 1, 'secondary annotation')),
  );
  const covered = intersection(secondaryBursts, boxPolygon);
  if (isEmpty(covered))
    throw new Error(
      `the secondary scene's ${secondary.swath} does not cover burst ${burst} of the reference ${reference.swath}; choose a burst both scenes image`,
    );
  return { bounds: box, centre, footprint: { type: 'Polygon', coordinates: footprint } };
}

/** Find the burst's region from the localized zips and record it for the configure step. */
export function burstRegionStep(plan: BurstPlan): Step {
  return {
    name: 'burst-region',
    async run({ workdir, log }) {
      const zipOf = (scene: SceneProperties): string => join(workdir, slcFile(scene));
      const reference = await swathAnnotationFromZip(zipOf(plan.scenes.reference[0]!), plan.burst.swath);
      const secondary = await swathAnnotationFromZip(zipOf(plan.scenes.secondary[0]!), plan.burst.swath);
      const region = burstRegion(reference, secondary, plan.burst.number);
      const path = join(workdir, plan.burst.regionFile);
      writeFileAtomic(path, `${JSON.stringify(region, null, 2)}\n`);
      log(
        `burst ${plan.burst.number} of ${reference.swath}: region ${region.bounds.map((v) => v.toFixed(4)).join(', ')}`,
      );
    },
  };
}

/** topsApp.xml values of a burst job; the region comes from the burst-region step's file. */
export function burstTopsappInputs(plan: BurstPlan, workdir: string): TopsappInputs {
  const region = JSON.parse(readFileSync(join(workdir, plan.burst.regionFile), 'utf8')) as BurstRegion;
  const [west, south, east, north] = region.bounds;
  const zips = (scenes: readonly SceneProperties[]): string[] => scenes.map(slcFile);
  return {
    referenceZips: zips(plan.scenes.reference),
    secondaryZips: zips(plan.scenes.secondary),
    regionOfInterest: [south, north, west, east],
    looks: plan.topsapp.looks,
    swaths: plan.topsapp.swaths,
    esdCoherenceThreshold: -1,
    denseOffsets: false,
    ionosphere: plan.ionosphere,
    filterStrength: 0.5,
    demFilename: plan.localize.dem.fullResolution,
    geocodeDemFilename: plan.localize.dem.lowResolution,
  };
}
