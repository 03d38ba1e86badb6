import { resolve } from 'node:path';
import { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { EarthdataSession } from '../../io/earthdata.js';
import { gunwBurstParameters, type GunwBurstParameters } from '../../product/parameters.js';
import { burstRegionStep, burstTopsappInputs, planGunwBurst } from '../../processor/gunw-burst.js';
import { validateJob } from '../../processor/job-form.js';
import { DEM_NOT_AVAILABLE, localizationSteps } from '../../processor/localize.js';
import { DEFAULT_ENDPOINTS } from '../../processor/plan.js';
import { configureStep, resolveTopsapp, topsappSteps } from '../../processor/steps.js';
import { childEnvironment, jobCredentials, provenanceCommandLine, readJobJson, type ProcessorContext } from './context.js';
import { addJobOptions, addParameterOptions, givenParameters, schemaDefaults, type JobOptions } from './options.js';
import { executeJob, jobIdentity } from './run-job.js';

const EXAMPLE = `
Example (IW2, burst 4 of a reference and secondary scene):
  isce2_topsapp ++process gunw_burst \\
    --reference-scene S1A_IW_SLC__1SDV_20220212T222803_20220212T222830_041886_04FCA3_2B3E \\
    --secondary-scene S1A_IW_SLC__1SDV_20220131T222803_20220131T222830_041711_04F690_8F5F \\
    --image-number 2 --burst-number 4 --dry-run

The region processed is a small box at the centre of the reference burst, found from the reference annotation
after the scenes are localized; the geocoded rasters stay in merged/.`;

export function gunwBurstCommand(context: ProcessorContext): Command {
  const command = new Command('isce2_topsapp')
    .usage('++process gunw_burst --reference-scene <scene> --secondary-scene <scene> --image-number <1-3> --burst-number <n> [options]')
    .description('Make an interferogram of one Sentinel-1 burst with ISCE2 topsApp (entry point gunw_burst)');
  addParameterOptions(command, gunwBurstParameters, schemaDefaults(gunwBurstParameters));
  addJobOptions(command)
    .option('--aux-cal-url <url...>', 'aux-cal bundle zips', [...DEFAULT_ENDPOINTS.auxCal])
    .addHelpText('after', EXAMPLE)
    .action(async (options: JobOptions & { auxCalUrl?: string[] }) => {
      const { io, env } = context;
      const fromJson = options.jsonInput ? readJobJson(options.jsonInput, context) : {};
      const parameters: GunwBurstParameters = validateJob(gunwBurstParameters, { ...fromJson, ...givenParameters(command, gunwBurstParameters) }, 'invalid job');
      if (options.bucket) throw new UsageError('--bucket: gunw_burst makes no GUNW product to deliver (its rasters stay in merged/); run without --bucket');
      const credentials = jobCredentials(options, env, !options.dryRun);
      const topsapp = options.dryRun ? null : resolveTopsapp(options.topsapp, env.PATH);
      if (!options.dryRun && !options.dem) throw new UsageError(DEM_NOT_AVAILABLE);
      const plan = await planGunwBurst(parameters, provenanceCommandLine(context.entrypoint, context.argv), {
        cmr: { baseUrl: options.cmrUrl },
        endpoints: { orbits: options.orbitsUrl, auxCal: options.auxCalUrl ?? DEFAULT_ENDPOINTS.auxCal },
        supplied: { dem: options.dem ? resolve(io.cwd, options.dem) : null, waterMask: options.waterMask ? resolve(io.cwd, options.waterMask) : null },
        fetch: context.fetch,
      });
      const childEnv = childEnvironment(env, context.ompNumThreads);
      await executeJob(context, options, credentials, {
        title: `burst ${parameters.burst_number} of IW${parameters.image_number}`,
        job: jobIdentity('gunw_burst', plan.parameters),
        plan,
        steps: (workdir) => {
          const earthdata = new EarthdataSession({ username: credentials.earthdata!.username, password: credentials.earthdata!.password, ursHost: options.ursHost, fetch: context.fetch });
          return [
            ...localizationSteps(plan.localize, { earthdata, orbitsBaseUrl: options.orbitsUrl, http: { fetch: context.fetch } }),
            burstRegionStep(plan),
            configureStep(() => burstTopsappInputs(plan, workdir)),
            ...topsappSteps(topsapp!, plan.topsapp.steps, childEnv),
          ];
        },
      });
    });
  return command;
}
