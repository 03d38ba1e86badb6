import { mkdirSync, readFileSync } from 'node:fs';
import { beginOwnedDirectory } from '../../io/owned-dir.js';
import { basename, join } from 'node:path';
import type { Vec3 } from '../../geometry/ellipsoid.js';
import { llhToXyz } from '../../geometry/ellipsoid.js';
import { Orbit } from '../../geometry/orbit.js';
import { baselines, geo2rdr, rdr2geo } from '../../geometry/radar.js';
import { intersection } from '../../product/geometry.js';
import { gunwSlcParameters, type GunwSlcParameterInput } from '../../product/parameters.js';
import { buildPlan, topsappInputsOf, type ProcessingPlan } from '../../processor/plan.js';
import { templatePath } from '../../processor/steps.js';
import { renderTemplate, topsappValues } from '../../processor/topsapp-config.js';
import { writeMergedRasters } from './merged.js';
import { syntheticOrbit } from './orbit.js';
import { SAMPLE_FRAME, SAMPLE_REFERENCE, SAMPLE_SECONDARY } from './scenes.js';
import { swathProductXml, topsProcXml, type SampleSwath } from './xml.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { writeWaterMaskXml } from '../../processor/water-mask.js';
import { SENTINEL1_WAVELENGTH_M } from '../../product/missions.js';

/**
 * A realistic ISCE2 topsApp work directory for the frame-25502 pair, made offline: `reference/`, `secondary/` and
 * `fine_interferogram/` swath products (with a physically consistent synthetic orbit), `topsProc.xml` (baselines
 * from that geometry), `topsApp.xml`, `plan.json`, and the geocoded rasters of `merged/` that packaging reads —
 * unwrapped phase with a subsidence bowl, coherence with a lake, SNAPHU components, amplitude, line-of-sight
 * angles, unfiltered coherence and the ionosphere, zero outside the swath as ISCE writes them. Rasters are written
 * in row blocks, so even the 30 m size needs little memory. The "perturbed" variant changes what a regression
 * should catch (a 2π jump in one component, lower coherence in a box).
 */

export type IsceSampleSize = 'small' | 'frame90' | 'frame30';
/**
 * `rerun`: the same job processed again with tiny numerical differences (a new compiler, another CPU); `perturbed`: a
 * regression.
 */
export type IsceSampleVariant = 'reference' | 'rerun' | 'perturbed';

export const SAMPLE_SPACING: Record<IsceSampleSize, number> = { small: 0.01, frame90: 1 / 1200, frame30: 1 / 3600 };

export interface IsceSampleOptions {
  readonly size?: IsceSampleSize;
  readonly variant?: IsceSampleVariant;
  /** Job parameters over the sample's (frame 25502 and every default: a standard product). */
  readonly parameters?: Partial<GunwSlcParameterInput>;
  /** Replace a sample an earlier run wrote in the directory (`--overwrite`). */
  readonly overwrite?: boolean;
}

export interface IsceSample {
  readonly isceDir: string;
  readonly plan: ProcessingPlan;
}

const MID_TIME = Date.parse('2022-02-12T22:28:29Z') / 1000;
const REPEAT = 12 * 86400;
const RANGE_PIXEL = 2.329562114715323;
const AZIMUTH_INTERVAL = 0.002055556299999998;
const SWATHS = [
  { swath: 1, startingRange: 800_000, samples: 20_000 },
  { swath: 2, startingRange: 845_000, samples: 20_600 },
  { swath: 3, startingRange: 891_000, samples: 23_000 },
];
const BURSTS = 10;
const BURST_CYCLE = 2.758;
const BURST_LINES = 1500;
const SECONDARY_OFFSET: Vec3 = [45, -80, 60];

function swaths(vectors: SampleSwath['vectors'], shift: number, orbitFile: string): SampleSwath[] {
  return SWATHS.map((s) => ({
    swath: s.swath,
    wavelength: SENTINEL1_WAVELENGTH_M,
    rangePixelSize: RANGE_PIXEL,
    azimuthTimeInterval: AZIMUTH_INTERVAL,
    passDirection: 'ASCENDING',
    orbitSource: orbitFile,
    vectors,
    bursts: Array.from({ length: BURSTS }, (_, k) => {
      const start = MID_TIME - shift - 13.5 + k * BURST_CYCLE + (s.swath - 2) * 0.35;
      return {
        number: k + 1,
        sensingStart: start,
        sensingStop: start + (BURST_LINES - 1) * AZIMUTH_INTERVAL,
        startingRange: s.startingRange,
        samples: s.samples,
        lines: BURST_LINES,
      };
    }),
  }));
}

function writeAtomic(path: string, text: string): void {
  writeFileAtomic(path, text);
}

/**
 * Write the sample into `directory`: a new directory, or one holding only what gunw wrote there; an earlier sample
 * there is replaced (once the new one is complete) only with `overwrite`.
 */
export async function writeIsceSample(
  directory: string,
  options: IsceSampleOptions = {},
  option = '--out',
): Promise<IsceSample> {
  const writing = beginOwnedDirectory(directory, option, {
    set: 'ISCE2 sample',
    overwrite: options.overwrite === true,
  });
  try {
    const { plan } = await writeSampleInto(writing.staging, options);
    writing.commit();
    return { isceDir: directory, plan };
  } finally {
    writing.abandon();
  }
}

async function writeSampleInto(isceDir: string, options: IsceSampleOptions): Promise<IsceSample> {
  const size = options.size ?? 'small';
  const perturbed = options.variant === 'perturbed';
  const rerun = options.variant === 'rerun';
  for (const sub of ['reference', 'secondary', 'fine_interferogram', 'merged', 'orbits'])
    mkdirSync(join(isceDir, sub), { recursive: true });

  const referenceVectors = syntheticOrbit({ midTime: MID_TIME, nadirLat: 46.83, nadirLon: -76.05, ascending: true });
  // A repeat pass 12 days earlier along the same ground track, offset by a baseline.
  const secondaryVectors = referenceVectors.map((v) => ({
    ...v,
    time: v.time - REPEAT,
    position: v.position.map((p, k) => p + SECONDARY_OFFSET[k]!) as Vec3,
  }));
  const referenceSwaths = swaths(
    referenceVectors,
    0,
    'orbits/S1A_OPER_AUX_POEORB_OPOD_20220304T081008_V20220211T225942_20220213T005942.EOF',
  );
  const secondarySwaths = swaths(
    secondaryVectors,
    REPEAT,
    'orbits/S1A_OPER_AUX_POEORB_OPOD_20220220T081256_V20220130T225942_20220201T005942.EOF',
  );
  for (const s of referenceSwaths) {
    writeAtomic(join(isceDir, 'reference', `IW${s.swath}.xml`), swathProductXml(s));
    writeAtomic(join(isceDir, 'fine_interferogram', `IW${s.swath}.xml`), swathProductXml(s));
  }
  for (const s of secondarySwaths) writeAtomic(join(isceDir, 'secondary', `IW${s.swath}.xml`), swathProductXml(s));

  const referenceOrbit = new Orbit(referenceVectors);
  const secondaryOrbit = new Orbit(secondaryVectors);
  const baselineRows = referenceSwaths.map((s) => {
    const at = (burst: (typeof s.bursts)[number]): { parallel: number; perpendicular: number } => {
      const time = (burst.sensingStart + burst.sensingStop) / 2;
      const range = burst.startingRange + (burst.samples / 2) * RANGE_PIXEL;
      const [lat, lon] = rdr2geo(referenceOrbit, time, range, 0);
      const target = llhToXyz(lat, lon, 0);
      return baselines(geo2rdr(referenceOrbit, target, time), geo2rdr(secondaryOrbit, target, time - REPEAT), target);
    };
    const first = at(s.bursts[0]!);
    const last = at(s.bursts.at(-1)!);
    return {
      swath: s.swath,
      parallel: [first.parallel, last.parallel] as [number, number],
      perpendicular: [first.perpendicular, last.perpendicular] as [number, number],
    };
  });
  writeAtomic(join(isceDir, 'topsProc.xml'), topsProcXml('2.6.3', baselineRows));

  const parameters = gunwSlcParameters.parse({
    reference_scenes: SAMPLE_REFERENCE.map((s) => s.properties.sceneName).reverse(),
    secondary_scenes: SAMPLE_SECONDARY.map((s) => s.properties.sceneName).reverse(),
    frame_id: 25502,
    ...options.parameters,
  });
  const overlap = intersection(
    SAMPLE_REFERENCE.flatMap((s) => [s.geometry]),
    SAMPLE_SECONDARY.flatMap((s) => [s.geometry]),
  );
  const plan = buildPlan({
    parameters,
    reference: SAMPLE_REFERENCE,
    secondary: SAMPLE_SECONDARY,
    frame: parameters.frame_id === -1 ? null : SAMPLE_FRAME,
    geometry:
      parameters.frame_id === -1
        ? { product: overlap, processing: overlap }
        : { product: SAMPLE_FRAME.footprint, processing: SAMPLE_FRAME.processing },
    commandLine: `isce2_topsapp ++process gunw_slc --reference-scenes ${parameters.reference_scenes.join(' ')} --secondary-scenes ${parameters.secondary_scenes.join(' ')} --frame-id ${parameters.frame_id}`,
  });
  writeAtomic(join(isceDir, 'plan.json'), `${JSON.stringify(plan, null, 2)}\n`);
  writeAtomic(
    join(isceDir, 'topsApp.xml'),
    renderTemplate(readFileSync(templatePath(), 'utf8'), topsappValues(topsappInputsOf(plan))),
  );

  // The swath's ground footprint (corners at zero height), so pixels outside it are written as zeros.
  const extentStart = Math.min(...referenceSwaths.flatMap((s) => s.bursts.map((b) => b.sensingStart)));
  const extentStop = Math.max(...referenceSwaths.flatMap((s) => s.bursts.map((b) => b.sensingStop)));
  const near = SWATHS[0]!.startingRange;
  const far = SWATHS[2]!.startingRange + (SWATHS[2]!.samples - 1) * RANGE_PIXEL;
  const footprint = (
    [
      [extentStart, near],
      [extentStart, far],
      [extentStop, far],
      [extentStop, near],
    ] as const
  ).map(([t, r]) => {
    const [lat, lon] = rdr2geo(referenceOrbit, t, r, 0);
    return [lon, lat] as [number, number];
  });

  writeMergedRasters(join(isceDir, 'merged'), {
    extent: plan.processingExtent,
    spacing: SAMPLE_SPACING[size],
    parameters,
    orbit: referenceOrbit,
    footprint,
    perturbed,
    rerun,
  });
  writeWaterMask(join(isceDir, plan.localize.waterMask.file), plan.localize.waterMask.bounds);
  return { isceDir, plan };
}

const WATER_MASK_SPACING = 0.005;

/** The localized water mask (255 = water) as the water-mask step leaves it: the sample's lake, at 0.005°. */
function writeWaterMask(path: string, bounds: readonly [number, number, number, number]): void {
  const [west, south, east, north] = bounds;
  const width = Math.round((east - west) / WATER_MASK_SPACING);
  const length = Math.round((north - south) / WATER_MASK_SPACING);
  const mask = new Uint8Array(width * length);
  for (let i = 0; i < length; i++) {
    const lat = north - (i + 0.5) * WATER_MASK_SPACING;
    for (let j = 0; j < width; j++) {
      const lon = west + (j + 0.5) * WATER_MASK_SPACING;
      if ((lon + 69.6) ** 2 / 0.12 ** 2 + (lat - 48.1) ** 2 / 0.08 ** 2 < 1) mask[i * width + j] = 255;
    }
  }
  writeFileAtomic(path, mask);
  writeWaterMaskXml(path, { file: basename(path), west, north, spacing: WATER_MASK_SPACING, width, length });
}
