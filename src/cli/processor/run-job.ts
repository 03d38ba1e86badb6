import { resolve } from 'node:path';
import { ExitError } from '../../errors.js';
import { assertResumable, runSteps, StepFailedError, type Step } from '../../processor/runner.js';
import { TransferBoard } from '../../processor/transfers.js';
import { transferDisplay } from '../transfer-display.js';
import { redactText, secretMask } from '../../redaction.js';
import { EXIT } from '../exit-codes.js';
import { writePlanFile, type JobCredentials } from '../../processor/job.js';
import type { ProcessorContext } from './context.js';
import type { JobOptions } from './options.js';

export interface JobToRun {
  readonly title: string;
  readonly job: string;
  readonly plan: object;
  readonly steps: (workdir: string) => Step[];
}

/**
 * Write plan.json, then either print the plan (dry run) or run the steps with a progress line per step on stderr.
 * Every file written passes through the secret mask; a failing step exits 1 naming the step and its log.
 */
export async function executeJob(
  context: ProcessorContext,
  options: JobOptions,
  credentials: JobCredentials,
  job: JobToRun,
): Promise<void> {
  const { io } = context;
  const workdir = resolve(io.cwd, options.workdir ?? '.');
  const known = secretMask([
    credentials.earthdata?.password,
    credentials.cdse?.password,
    options.password,
    options.esaPassword,
  ]);
  const mask = (text: string): string => redactText(known(text));
  if (options.resume && !options.dryRun) assertResumable(workdir, job.job);
  const document = {
    ...job.plan,
    credentials: { earthdata: credentials.earthdata?.source ?? null, cdse: credentials.cdse?.source ?? null },
    delivery: { bucket: options.bucket ?? null, prefix: options.bucketPrefix },
  };
  const planFile = writePlanFile(workdir, job.job, mask(`${JSON.stringify(document, null, 2)}\n`), options.overwrite);
  io.stderr(`${job.title}: plan written to ${planFile}\n`);
  if (options.dryRun) {
    io.stdout(mask(`${JSON.stringify(document, null, 2)}\n`));
    return;
  }
  const started = performance.now();
  // One display for every download of the run; step lines are printed through it so they do not tear it.
  const transfers: TransferBoard = new TransferBoard(() => display.update());
  const display = transferDisplay(io, () => transfers);
  try {
    await runSteps(job.steps(workdir), {
      workdir,
      job: job.job,
      resume: options.resume,
      mask,
      transfers,
      onStep: ({ step, index, total, state, seconds }) => {
        const at = `[${index + 1}/${total}] ${step}`;
        if (state === 'start') display.print(`${at} ...\n`);
        else if (state === 'skipped') display.print(`${at}: done earlier (--resume)\n`);
        else display.print(`${at}: done in ${seconds!.toFixed(1)} s\n`);
      },
    });
    display.close();
  } catch (error) {
    display.close();
    if (error instanceof StepFailedError) {
      io.stderr(`error: ${error.message}\n`);
      io.stderr(`(fix the cause, then run the same command with --resume to continue from ${error.step})\n`);
      throw new ExitError(EXIT.failed);
    }
    throw error;
  }
  io.stderr(`${job.title}: all steps done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}
