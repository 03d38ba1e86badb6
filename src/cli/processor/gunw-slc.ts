import { isAbsolute, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { DEFAULT_FRAME_SOURCES, userCacheDir } from '../../io/frames.js';
import { bucketNameProblem } from '../../io/s3.js';
import { gunwSlcJob } from '../../product/parameters.js';
import { planGunwSlc } from '../../processor/gunw-slc.js';
import { topsappInputsOf, type ProcessingPlan } from '../../processor/plan.js';
import { configureStep, deliveryStep, packagingStep } from '../../processor/steps.js';
import { toolIdentity } from '../version.js';
import { jobIdentity, provenanceCommandLine } from '../../processor/job.js';
import type { ProcessorContext } from './context.js';
import { entrypointCommand } from './options.js';
import { localizeWith, prepareJob, topsappAndIonosphereSteps, type EntrypointOptions } from './prepare.js';
import { executeJob } from './run-job.js';

interface SlcOptions extends EntrypointOptions {
  readonly frames?: string;
  readonly frameFootprints?: string;
  readonly framesSha256?: string;
  readonly frameFootprintsSha256?: string;
}

const EXAMPLE = `
Examples (frame 25502, the README pair):
  # as HyP3 ARIA_S1_GUNW jobs run it: the scenes of each date over the frame are found in CMR
  isce2_topsapp ++process gunw_slc --reference-date 2022-02-12 --secondary-date 2022-01-31 --frame-id 25502 --dry-run

  # the same job with its scenes named (HyP3 INSAR_ISCE jobs)
  isce2_topsapp ++process gunw_slc --frame-id 25502 \\
    --reference-scenes S1A_IW_SLC__1SDV_20220212T222803_20220212T222830_041886_04FCA3_2B3E S1A_IW_SLC__1SDV_20220212T222828_20220212T222855_041886_04FCA3_A3E2 \\
    --secondary-scenes S1A_IW_SLC__1SDV_20220131T222803_20220131T222830_041711_04F690_8F5F S1A_IW_SLC__1SDV_20220131T222828_20220131T222855_041711_04F690_28D7 \\
    --dry-run

  # a HyP3 job file: {"job_type": "ARIA_S1_GUNW", "job_parameters": {"reference_date": "2022-02-12", ...}}
  isce2_topsapp ++process gunw_slc --json-input job.json --dry-run

A date finds every Sentinel-1 IW SLC scene (VV or VV+VH, any of Sentinel-1A to 1D) on the frame's track and
direction whose footprint meets the frame, from 5 minutes before that UTC day to 5 minutes after it; the scenes
found are checked as named ones are, and recorded in plan.json. An ARIA_S1_GUNW job runs with --min-frame-coverage
0.9, as HyP3 runs it.
Everything is checked before anything is downloaded; bad input exits 2 with one line naming the parameter and the fix.
Booleans are true/false in any capitalisation; a scene list may be one space-separated argument (as HyP3 passes it).
Credentials: flags win over EARTHDATA_USERNAME/EARTHDATA_PASSWORD, which win over ~/.netrc; nothing is written to ~/.netrc.
The product is standard (S1-GUNW) only with a frame and every parameter at its default; otherwise S1-GUNW_CUSTOM.`;

export function gunwSlcCommand(context: ProcessorContext): Command {
  const command = entrypointCommand(
    '[++process gunw_slc] [++omp-num-threads N] (--reference-date <YYYY-MM-DD> --secondary-date <YYYY-MM-DD> | --reference-scenes <scene...> --secondary-scenes <scene...>) --frame-id <id> [options]',
    'Make an ARIA S1-GUNW product from Sentinel-1 IW SLC scenes with ISCE2 topsApp (entry point gunw_slc)',
    gunwSlcJob,
  )
    .option(
      '--frames <url|path>',
      'latitude-aligned frame table (GeoJSON or .zip); URLs are downloaded once into the user cache',
      DEFAULT_FRAME_SOURCES.aligned,
    )
    .option(
      '--frame-footprints <url|path>',
      'frame footprint table (GeoJSON or .zip), which names the product',
      DEFAULT_FRAME_SOURCES.footprints,
    )
    .option('--frames-sha256 <hex>', 'expected SHA-256 of the latitude-aligned frame table')
    .option('--frame-footprints-sha256 <hex>', 'expected SHA-256 of the frame footprint table')
    .addHelpText('after', EXAMPLE)
    .action(async (options: SlcOptions) => {
      await runGunwSlc(command, options, context);
    });
  return command;
}

function source(value: string, cwd: string): string {
  return /^(https?|file):/.test(value) || isAbsolute(value) ? value : resolve(cwd, value);
}

async function runGunwSlc(command: Command, options: SlcOptions, context: ProcessorContext): Promise<void> {
  const { io, env } = context;
  const bucketProblem =
    options.bucket !== undefined && options.bucket.trim() !== '' ? bucketNameProblem(options.bucket) : null;
  const job = prepareJob(command, gunwSlcJob, options, context);
  if (bucketProblem) throw new UsageError(`--bucket ${bucketProblem}`);
  const { plan, warnings }: { plan: ProcessingPlan; warnings: readonly string[] } = await planGunwSlc(
    job.parameters,
    provenanceCommandLine(context.entrypoint, context.argv),
    {
      frames: {
        footprints: { url: source(options.frameFootprints!, io.cwd), sha256: options.frameFootprintsSha256 },
        aligned: { url: source(options.frames!, io.cwd), sha256: options.framesSha256 },
      },
      cacheDir: userCacheDir(env),
      cmr: { baseUrl: options.cmrUrl },
      endpoints: job.endpoints,
      supplied: job.supplied,
      fetch: context.fetch,
    },
  );
  for (const warning of warnings) io.stderr(`warning: ${warning}\n`);
  const { version } = await toolIdentity();
  await executeJob(context, options, job.credentials, {
    title: `${plan.productId} (${plan.standard ? 'standard' : 'custom'} product)`,
    job: jobIdentity(plan.productId, plan.parameters),
    plan,
    steps: () => [
      ...localizeWith(plan.localize, job.credentials, options, context),
      configureStep(() => topsappInputsOf(plan)),
      ...topsappAndIonosphereSteps(job, plan, options, io.cwd),
      packagingStep(plan, version),
      ...(options.bucket
        ? [
            deliveryStep(plan.productId, {
              bucket: options.bucket,
              prefix: options.bucketPrefix,
              endpoint: options.s3Endpoint,
            }),
          ]
        : []),
    ],
  });
}
