import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { lastWords, runCommand } from '../../io/commands.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { readRasterInfo } from '../../isce/raster.js';
import type { Step, StepContext } from '../runner.js';
import { bridgeComponents, maskComponentZero } from './bridging.js';
import { computeIonosphere, subbandFrequencies } from './compute.js';
import { filterIonosphere } from './filter.js';
import { interpolateLooks } from './looks.js';
import { maskInterferogram, projectMaskToBurst } from './radar-mask.js';
import { readBytes, readTwoBand, writeOneBand, writeTwoBand, type TwoBand } from './rasters.js';
import { mergeSwaths, type SwathRaster } from './swaths.js';
import {
  IONOSPHERE_RECORD_FILE,
  ionosphereRecord,
  readIonParameters,
  readSwathBoxes,
  type IonParameters,
} from '../../product/ionosphere-record.js';

/**
 * The plugin's ionosphere, run as steps of the job after topsApp's `unwrap2stage` (so before its `geocode`, which
 * geocodes `merged/topophase.ion` and `merged/topophase.ion.az_shift`): ISCE2's own sub-steps through
 * templates/ion_substep.py, and between them, here, what the plugin does to ISCE2's rasters.
 *
 *   ion:subband            ISCE2   sub-band burst interferograms (and ion/ion_param.json)
 *   ion:mask-subband       here    water mask → each burst's radar grid → masked sub-band interferograms
 *   ion:merge              ISCE2   merged sub-bands and coherence
 *   ion:unwrap             ISCE2   SNAPHU at the first looks
 *   ion:bridge             here    bridging of connected components; component-0 masking with a water mask
 *   ion:multilook          ISCE2   second looks
 *   ion:ionosphere         here    the dispersive phase (raw_no_projection.ion)
 *
 * When ISCE2 says the pair needs the ionosphere swath by swath (starting ranges differ; cross-mission pairs), merge,
 * unwrap, bridge and multilook work on each swath's sub-bands (merged on the whole frame's grid, in merged_IW<n>),
 * the ionosphere is computed per swath, the outer swaths are moved onto the middle one and the bursts are put
 * together (swaths.ts), as the plugin's ionSwathBySwath does. The rest is the same.
 *   ion:filter             here    outlier removal (with a water mask) and the modified adaptive Gaussian filter
 *   ion:ionosphere_shift, ion:ion2grd, ion:esd, ion:merge_burst_ramps
 *                          ISCE2   burst ramps → merged/topophase.ion.az_shift
 *   ion:merge-filtered     here    filt.ion at the interferogram's looks → merged/topophase.ion, and the record
 *                                  of what was done (ion/gunw-ionosphere.json) for packaging
 */

export interface IonosphereJob {
  /** The interpreter (with its arguments) that runs templates/ion_substep.py: the one that runs topsApp.py. */
  readonly interpreter: readonly string[];
  readonly script: string;
  readonly env: NodeJS.ProcessEnv;
  /** The water mask in the work directory (`water_mask.wgs84`), or null to run without (no outlier removal). */
  readonly waterMask: string | null;
  /** The interferogram's looks, which merged/topophase.ion takes. */
  readonly looks: { readonly range: number; readonly azimuth: number };
}

/**
 * The interpreter a script's `#!` line names (`#!/usr/bin/env python3` → [/usr/bin/env, python3]); only the first
 * 256 bytes are read, as the kernel reads them.
 */
export function interpreterOf(script: string): string[] {
  const fd = openSync(script, 'r');
  const head = Buffer.alloc(256);
  try {
    const length = readSync(fd, head, 0, head.length, 0);
    const first = head.subarray(0, length).toString('utf8').split('\n', 1)[0] ?? '';
    return first.startsWith('#!') ? first.slice(2).trim().split(/\s+/) : ['python3'];
  } finally {
    closeSync(fd);
  }
}

const UNWRAPPED = 'filt_topophase.unw';
const ION_CAL = join('ion', 'ion_cal');

/** The swaths worked on one by one, or null when the whole frame is merged first (ISCE2's choice, in ion_param). */
function swathsOf(workdir: string): number[] | null {
  return readIonParameters(workdir).calIonWithMerged ? null : readSwathBoxes(workdir).swaths;
}

/** Where the merged sub-bands are: merged/, or merged_IW<n>/ per swath. */
function mergedDirectories(workdir: string): { merged: string; swath: number | null }[] {
  const swaths = swathsOf(workdir);
  return swaths ? swaths.map((n) => ({ merged: `merged_IW${n}`, swath: n })) : [{ merged: 'merged', swath: null }];
}

async function runSubstep(
  job: IonosphereJob,
  { workdir, log }: StepContext,
  substep: string,
  swath?: number | null,
): Promise<void> {
  const [command, ...args] = job.interpreter;
  const all = [...args, job.script, 'topsApp.xml', substep, ...(swath ? [String(swath)] : [])];
  log(`$ ${command} ${all.join(' ')}`);
  const result = await runCommand(command!, all, { cwd: workdir, onLine: log, env: job.env });
  if (result.exitCode !== 0) {
    throw new Error(
      `ion_substep.py ${substep}${swath ? ` ${swath}` : ''} exited with status ${result.exitCode} (${lastWords(result)})`,
    );
  }
}

function isce2Step(job: IonosphereJob, substep: string): Step {
  return { name: `ion:${substep}`, run: (context) => runSubstep(job, context, substep) };
}

/** An ISCE2 sub-step on the whole frame's sub-bands, or on each swath's in turn. */
function perSwathStep(job: IonosphereJob, substep: string): Step {
  return {
    name: `ion:${substep}`,
    async run(context) {
      for (const { swath } of mergedDirectories(context.workdir)) await runSubstep(job, context, substep, swath);
    },
  };
}

function localStep(name: string, run: (context: StepContext) => void | Promise<void>): Step {
  return {
    name: `ion:${name}`,
    async run(context) {
      await run(context);
    },
  };
}

function burstFiles(workdir: string): { swath: string; burst: string }[] {
  const geometry = join(workdir, 'geom_reference');
  if (!existsSync(geometry)) throw new Error(`${geometry} is missing: topsApp's topo step makes the burst geometry`);
  return readdirSync(geometry)
    .filter((d) => /^IW[1-3]$/.test(d))
    .flatMap((swath) =>
      readdirSync(join(geometry, swath))
        .map((f) => /^lat_(\d+)\.rdr$/.exec(f)?.[1])
        .filter((b): b is string => b !== undefined)
        .map((burst) => ({ swath, burst })),
    );
}

async function maskSubbands({ workdir, log }: StepContext, waterMask: string): Promise<void> {
  let water = 0;
  let zeroed = 0;
  for (const { swath, burst } of burstFiles(workdir)) {
    const mask = join(workdir, 'mask', swath, `msk_${burst}.rdr`);
    mkdirSync(join(workdir, 'mask', swath), { recursive: true });
    const geometry = join(workdir, 'geom_reference', swath);
    water += projectMaskToBurst(
      join(workdir, waterMask),
      join(geometry, `lat_${burst}.rdr`),
      join(geometry, `lon_${burst}.rdr`),
      mask,
    ).water;
    for (const band of ['lower', 'upper']) {
      const ifg = join(workdir, 'ion', band, 'fine_interferogram', swath, `burst_${burst}.int`);
      if (existsSync(ifg)) zeroed += await maskInterferogram(ifg, mask);
    }
    log(`masked ${swath} burst ${burst}`);
  }
  log(`water mask in radar geometry: ${water} water pixels; ${zeroed} sub-band interferogram pixels set to 0`);
}

function bridge({ workdir, log }: StepContext, maskZero: boolean): void {
  const done: { path: string; unw: TwoBand }[] = [];
  for (const { merged } of mergedDirectories(workdir)) {
    for (const band of ['lower', 'upper']) {
      const path = join(workdir, 'ion', band, merged, UNWRAPPED);
      const unw = readTwoBand(path);
      const labels = readBytes(`${path}.conncomp`, unw.width, unw.length);
      const shifts = bridgeComponents(unw.second, labels, unw.width);
      const zeroed = maskZero ? maskComponentZero(unw.first, unw.second, labels) : 0;
      done.push({ path, unw });
      const shown =
        shifts
          .slice(1)
          .map((s) => s.toFixed(3))
          .join(', ') || 'none';
      log(
        `${join('ion', band, merged)}: ${shifts.length - 1} component(s) bridged (shifts ${shown})` +
          (maskZero ? `, ${zeroed} pixels of component 0 masked` : ''),
      );
    }
  }
  // Written only when every directory is done, so a rerun after a failure never bridges a phase twice.
  for (const { path, unw } of done) writeTwoBand(path, unw);
}

/** The raw ionosphere of the sub-bands in one merged directory: amplitude, dispersive phase, coherence. */
function rawIonosphere(
  workdir: string,
  merged: string,
  parameters: IonParameters,
): SwathRaster & { width: number; length: number } {
  const lower = readTwoBand(join(workdir, 'ion', 'lower', merged, UNWRAPPED));
  const upper = readTwoBand(join(workdir, 'ion', 'upper', merged, UNWRAPPED));
  const cor = readTwoBand(join(workdir, 'ion', 'lower', merged, 'topophase.cor'));
  const { width, length } = lower;
  if (upper.width !== width || upper.length !== length || cor.width !== width || cor.length !== length)
    throw new Error(`the sub-band rasters of ${join(workdir, 'ion', '*', merged)} differ in size: rerun ion:multilook`);
  const amp = Float32Array.from(lower.first, (a, i) => Math.sqrt(a * a + upper.first[i]! * upper.first[i]!));
  // As the plugin: no data in the lower band (all water, say) gives a zero ionosphere rather than a failed fit.
  const ion = lower.second.some((v) => v !== 0)
    ? computeIonosphere(
        lower.second,
        upper.second,
        cor.second,
        width,
        length,
        subbandFrequencies(parameters.radarWavelength),
      )
    : new Float32Array(width * length);
  return { width, length, amp, ion, cor: cor.second };
}

function writeRaw(workdir: string, calDir: string, raw: SwathRaster & { width: number; length: number }): void {
  mkdirSync(join(workdir, calDir), { recursive: true });
  const { width, length } = raw;
  writeTwoBand(join(workdir, calDir, 'raw_no_projection.ion'), { width, length, first: raw.amp, second: raw.ion });
  writeTwoBand(join(workdir, calDir, 'raw_no_projection.cor'), { width, length, first: raw.amp, second: raw.cor });
}

function ionosphere({ workdir, log }: StepContext, parameters: IonParameters): void {
  const swaths = swathsOf(workdir);
  if (!swaths) {
    const raw = rawIonosphere(workdir, 'merged', parameters);
    writeRaw(workdir, ION_CAL, raw);
    return log(`raw ionosphere ${raw.width} × ${raw.length} written to ${join(ION_CAL, 'raw_no_projection.ion')}`);
  }
  const perSwath = swaths.map((n) => {
    const raw = rawIonosphere(workdir, `merged_IW${n}`, parameters);
    writeRaw(workdir, `${ION_CAL}_IW${n}`, raw);
    return raw;
  });
  // The plugin takes the frame's size from the last swath's sub-bands (all are on the whole frame's grid).
  const { width, length } = perSwath.at(-1)!;
  if (perSwath.some((r) => r.width !== width || r.length !== length))
    throw new Error(`the swaths' sub-bands in ${join(workdir, 'ion')} are not on one grid: rerun ion:merge`);
  const merged = mergeSwaths(
    perSwath,
    readSwathBoxes(workdir).burstValidBox,
    width,
    length,
    { range: parameters.numberRangeLooks, azimuth: parameters.numberAzimuthLooks },
    log,
  );
  writeRaw(workdir, ION_CAL, { width, length, ...merged });
  log(
    `raw ionosphere of swaths ${swaths.join(', ')} put together: ${width} × ${length} in ${join(ION_CAL, 'raw_no_projection.ion')}`,
  );
}

function filter({ workdir, log }: StepContext, parameters: IonParameters, withMask: boolean): void {
  const raw = readTwoBand(join(workdir, ION_CAL, 'raw_no_projection.ion'));
  const cor = readTwoBand(join(workdir, ION_CAL, 'raw_no_projection.cor'));
  const filtered = filterIonosphere(raw.second, cor.second, raw.width, raw.length, {
    windowMax: parameters.ionFilteringWinsizeMax,
    windowMin: parameters.ionFilteringWinsizeMin,
    fit: parameters.ionFit,
    coherenceThreshold: withMask ? 0.8 : 0,
    sigmaRule: withMask ? 1 : 0,
  });
  writeTwoBand(join(workdir, ION_CAL, 'filt.ion'), { ...raw, second: filtered });
  log(
    `filtered ionosphere written to ${join(ION_CAL, 'filt.ion')}${withMask ? ' (outliers removed: coherence < 0.8, beyond 1 σ)' : ''}`,
  );
}

function mergeFiltered({ workdir, log }: StepContext, job: IonosphereJob): void {
  const parameters = readIonParameters(workdir);
  const filtered = readTwoBand(join(workdir, ION_CAL, 'filt.ion'));
  const merged = readRasterInfo(join(workdir, 'merged', 'topophase.flat'));
  const out = interpolateLooks(filtered.second, filtered.width, filtered.length, merged.width, merged.length, {
    inRange: parameters.numberRangeLooks,
    inAzimuth: parameters.numberAzimuthLooks,
    outRange: job.looks.range,
    outAzimuth: job.looks.azimuth,
  });
  writeOneBand(join(workdir, 'merged', 'topophase.ion'), out, merged.width, merged.length);
  const record = ionosphereRecord(parameters, {
    waterMask: job.waterMask,
    bridged: true,
    maskedComponentZero: job.waterMask !== null,
  });
  writeFileAtomic(join(workdir, IONOSPHERE_RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
  log(
    `merged/topophase.ion ${merged.width} × ${merged.length} (from ${parameters.numberRangeLooks} × ${parameters.numberAzimuthLooks} looks to ${job.looks.range} × ${job.looks.azimuth})`,
  );
}

export function ionosphereSteps(job: IonosphereJob): Step[] {
  const withMask = job.waterMask !== null;
  return [
    isce2Step(job, 'subband'),
    ...(job.waterMask ? [localStep('mask-subband', (c) => maskSubbands(c, job.waterMask!))] : []),
    {
      name: 'ion:merge',
      async run(context) {
        if (readIonParameters(context.workdir).calIonWithMerged) return runSubstep(job, context, 'merge');
        await runSubstep(job, context, 'swath_boxes');
        for (const n of readSwathBoxes(context.workdir).swaths) await runSubstep(job, context, 'merge_swath', n);
      },
    },
    perSwathStep(job, 'unwrap'),
    localStep('bridge', (c) => bridge(c, withMask)),
    perSwathStep(job, 'multilook'),
    localStep('ionosphere', (c) => ionosphere(c, readIonParameters(c.workdir))),
    localStep('filter', (c) => filter(c, readIonParameters(c.workdir), withMask)),
    isce2Step(job, 'ionosphere_shift'),
    isce2Step(job, 'ion2grd'),
    isce2Step(job, 'esd'),
    isce2Step(job, 'merge_burst_ramps'),
    localStep('merge-filtered', (c) => mergeFiltered(c, job)),
  ];
}

/** topsApp's steps with the ionosphere's inserted before `geocode`, which then geocodes its two outputs. */
export function withIonosphereSteps(topsapp: readonly Step[], ionosphere: readonly Step[]): Step[] {
  const at = topsapp.findIndex((s) => s.name === 'topsapp:geocode');
  if (at < 0) return [...topsapp, ...ionosphere];
  return [...topsapp.slice(0, at), ...ionosphere, ...topsapp.slice(at)];
}
