import { type Command } from 'commander';
import { UsageError } from '../../errors.js';
import { gunwBurstParameters } from '../../product/parameters.js';
import { burstRegionStep, burstTopsappInputs, planGunwBurst } from '../../processor/gunw-burst.js';
import { configureStep } from '../../processor/steps.js';
import { jobIdentity, provenanceCommandLine } from '../../processor/job.js';
import type { ProcessorContext } from './context.js';
import { entrypointCommand } from './options.js';
import { localizeWith, prepareJob, topsappAndIonosphereSteps, type EntrypointOptions } from './prepare.js';
import { executeJob } from './run-job.js';

const EXAMPLE = `
Example (IW2, burst 4 of a reference and secondary scene):
  isce2_topsapp ++process gunw_burst \\
    --reference-scene S1A_IW_SLC__1SDV_20220212T222803_20220212T222830_041886_04FCA3_2B3E \\
    --secondary-scene S1A_IW_SLC__1SDV_20220131T222803_20220131T222830_041711_04F690_8F5F \\
    --image-number 2 --burst-number 4 --dry-run

The region processed is a small box at the centre of the reference burst, found from the reference annotation
after the scenes are localized; the geocoded rasters stay in merged/.`;

export function gunwBurstCommand(context: ProcessorContext): Command {
  const command = entrypointCommand(
    '++process gunw_burst --reference-scene <scene> --secondary-scene <scene> --image-number <1-3> --burst-number <n> [options]',
    'Make an interferogram of one Sentinel-1 burst with ISCE2 topsApp (entry point gunw_burst)',
    gunwBurstParameters,
  )
    .addHelpText('after', EXAMPLE)
    .action(async (options: EntrypointOptions) => {
      if (options.bucket)
        throw new UsageError(
          '--bucket: gunw_burst makes no GUNW product to deliver (its rasters stay in merged/); run without --bucket',
        );
      const job = prepareJob(command, gunwBurstParameters, options, context);
      const { parameters } = job;
      const plan = await planGunwBurst(parameters, provenanceCommandLine(context.entrypoint, context.argv), {
        cmr: { baseUrl: options.cmrUrl },
        endpoints: job.endpoints,
        supplied: job.supplied,
        fetch: context.fetch,
      });
      await executeJob(context, options, job.credentials, {
        title: `burst ${parameters.burst_number} of IW${parameters.image_number}`,
        job: jobIdentity('gunw_burst', plan.parameters),
        plan,
        steps: (workdir) => [
          ...localizeWith(plan.localize, job.credentials, options, context),
          burstRegionStep(plan),
          configureStep(() => burstTopsappInputs(plan, workdir)),
          ...topsappAndIonosphereSteps(job, plan, options, context.io.cwd),
        ],
      });
    });
  return command;
}
