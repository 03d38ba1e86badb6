import { isAbsolute, resolve } from 'node:path';
import { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { DEFAULT_FRAME_SOURCES, userCacheDir } from '../../io/frames.js';
import { EarthdataSession } from '../../io/earthdata.js';
import { gunwSlcParameters, type GunwSlcParameters } from '../../product/parameters.js';
import { planGunwSlc } from '../../processor/gunw-slc.js';
import { validateJob } from '../../processor/job-form.js';
import { DEM_NOT_AVAILABLE, localizationSteps } from '../../processor/localize.js';
import { DEFAULT_ENDPOINTS, topsappInputsOf, type ProcessingPlan } from '../../processor/plan.js';
import { configureStep, deliveryStep, packagingStep, resolveTopsapp, topsappSteps } from '../../processor/steps.js';
import { bucketNameProblem } from '../../io/s3.js';
import { childEnvironment, jobCredentials, provenanceCommandLine, readJobJson, type ProcessorContext } from './context.js';
import { addJobOptions, addParameterOptions, givenParameters, schemaDefaults, type JobOptions } from './options.js';
import { executeJob, jobIdentity } from './run-job.js';
import { toolIdentity } from '../version.js';

interface SlcOptions extends JobOptions {
  readonly frames?: string;
  readonly frameFootprints?: string;
  readonly framesSha256?: string;
  readonly frameFootprintsSha256?: string;
  readonly auxCalUrl?: string[];
}

const EXAMPLE = `
Example (frame 25502, the README pair):
  isce2_topsapp ++process gunw_slc --frame-id 25502 \\
    --reference-scenes S1A_IW_SLC__1SDV_20220212T222803_20220212T222830_041886_04FCA3_2B3E S1A_IW_SLC__1SDV_20220212T222828_20220212T222855_041886_04FCA3_A3E2 \\
    --secondary-scenes S1A_IW_SLC__1SDV_20220131T222803_20220131T222830_041711_04F690_8F5F S1A_IW_SLC__1SDV_20220131T222828_20220131T222855_041711_04F690_28D7 \\
    --dry-run

Everything is checked before anything is downloaded; bad input exits 2 with one line naming the parameter and the fix.
Booleans are true/false in any capitalisation; a scene list may be one space-separated argument (as HyP3 passes it).
Credentials: flags win over EARTHDATA_USERNAME/EARTHDATA_PASSWORD, which win over ~/.netrc; nothing is written to ~/.netrc.
The product is standard (S1-GUNW) only with a frame and every parameter at its default; otherwise S1-GUNW_CUSTOM.`;

export function gunwSlcCommand(context: ProcessorContext): Command {
  const command = new Command('isce2_topsapp')
    .usage('[++process gunw_slc] [++omp-num-threads N] --reference-scenes <scene...> --secondary-scenes <scene...> --frame-id <id> [options]')
    .description('Make an ARIA S1-GUNW product from Sentinel-1 IW SLC scenes with ISCE2 topsApp (entry point gunw_slc)');
  addParameterOptions(command, gunwSlcParameters, schemaDefaults(gunwSlcParameters));
  addJobOptions(command)
    .option('--frames <url|path>', 'latitude-aligned frame table (GeoJSON or .zip); URLs are downloaded once into the user cache', DEFAULT_FRAME_SOURCES.aligned)
    .option('--frame-footprints <url|path>', 'frame footprint table (GeoJSON or .zip), which names the product', DEFAULT_FRAME_SOURCES.footprints)
    .option('--frames-sha256 <hex>', 'expected SHA-256 of the latitude-aligned frame table')
    .option('--frame-footprints-sha256 <hex>', 'expected SHA-256 of the frame footprint table')
    .option('--aux-cal-url <url...>', 'aux-cal bundle zips', [...DEFAULT_ENDPOINTS.auxCal])
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
  const fromJson = options.jsonInput ? readJobJson(options.jsonInput, context) : {};
  const parameters: GunwSlcParameters = validateJob(gunwSlcParameters, { ...fromJson, ...givenParameters(command, gunwSlcParameters) }, 'invalid job');
  const bucketProblem = options.bucket ? bucketNameProblem(options.bucket) : null;
  if (bucketProblem) throw new UsageError(`--bucket ${bucketProblem}`);
  const credentials = jobCredentials(options, env, !options.dryRun);
  const topsapp = options.dryRun ? null : resolveTopsapp(options.topsapp, env.PATH);
  if (!options.dryRun && !options.dem) throw new UsageError(DEM_NOT_AVAILABLE);
  const supplied = { dem: options.dem ? resolve(io.cwd, options.dem) : null, waterMask: options.waterMask ? resolve(io.cwd, options.waterMask) : null };
  const endpoints = { orbits: options.orbitsUrl, auxCal: options.auxCalUrl ?? DEFAULT_ENDPOINTS.auxCal };
  const plan: ProcessingPlan = await planGunwSlc(parameters, provenanceCommandLine(context.entrypoint, context.argv), {
    frames: {
      footprints: { url: source(options.frameFootprints!, io.cwd), sha256: options.frameFootprintsSha256 },
      aligned: { url: source(options.frames!, io.cwd), sha256: options.framesSha256 },
    },
    cacheDir: userCacheDir(env),
    cmr: { baseUrl: options.cmrUrl },
    endpoints,
    supplied,
    fetch: context.fetch,
  });
  const childEnv = childEnvironment(env, context.ompNumThreads);
  await executeJob(context, options, credentials, {
    title: `${plan.productId} (${plan.standard ? 'standard' : 'custom'} product)`,
    job: jobIdentity(plan.productId, plan.parameters),
    plan,
    steps: () => {
      const earthdata = new EarthdataSession({ username: credentials.earthdata!.username, password: credentials.earthdata!.password, ursHost: options.ursHost, fetch: context.fetch });
      return [
        ...localizationSteps(plan.localize, { earthdata, orbitsBaseUrl: options.orbitsUrl, http: { fetch: context.fetch } }),
        configureStep(() => topsappInputsOf(plan)),
        ...topsappSteps(topsapp!, plan.topsapp.steps, childEnv),
        packagingStep(plan, toolIdentity().version),
        ...(options.bucket ? [deliveryStep(plan.productId, { bucket: options.bucket, prefix: options.bucketPrefix, endpoint: options.s3Endpoint })] : []),
      ];
    },
  });
}
