import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { z } from 'zod';
import { UsageError } from '../../errors.js';
import { EarthdataSession } from '../../io/earthdata.js';
import { validateJob } from '../../processor/job-form.js';
import { localizationSteps } from '../../processor/localize.js';
import { type Endpoints, type Localization, type SuppliedFiles } from '../../processor/plan.js';
import type { Step } from '../../processor/runner.js';
import { interpreterOf, ionosphereSteps, withIonosphereSteps } from '../../processor/ionosphere/steps.js';
import { resolveTopsapp, topsappSteps } from '../../processor/steps.js';
import { childEnvironment, jobCredentials, type JobCredentials } from '../../processor/job.js';
import { readJobJson, type ProcessorContext } from './context.js';
import { givenParameters, type JobOptions } from './options.js';

/**
 * What both entry points do before planning, in the same order: the job (JSON form overridden by flags) validated,
 * the credentials found, ISCE2 required unless nothing will run — every check before any download.
 */

export interface EntrypointOptions extends JobOptions {
  readonly auxCalUrl?: string[];
  readonly auxCalCatalogue: string;
}

export interface Prepared<T> {
  readonly parameters: T;
  readonly credentials: JobCredentials;
  /** The topsApp executable (null for a dry run). */
  readonly topsapp: string | null;
  readonly supplied: SuppliedFiles;
  readonly endpoints: Endpoints;
  readonly childEnv: NodeJS.ProcessEnv;
}

/** A file the user supplies instead of one the run would make: it must be there, and be a file. */
function suppliedFile(option: string, value: string | undefined, cwd: string): string | null {
  if (value === undefined) return null;
  if (value.trim() === '')
    throw new UsageError(`${option} is empty; give the path of the file, or leave ${option} out to have it made`);
  const path = resolve(cwd, value);
  if (!existsSync(path))
    throw new UsageError(
      `${option} ${value}: no such file; give an existing file, or leave ${option} out to have it made`,
    );
  if (!statSync(path).isFile()) throw new UsageError(`${option} ${value}: is not a file`);
  return path;
}

/** Flags whose value may not be empty: an empty one would be silently ignored. */
function checkNotEmpty(options: EntrypointOptions): void {
  for (const [flag, value] of [
    ['--bucket', options.bucket],
    ['--workdir', options.workdir],
  ] as const) {
    if (value !== undefined && value.trim() === '')
      throw new UsageError(`${flag} is empty; give a value or leave ${flag} out`);
  }
  if (options.workdir !== undefined && existsSync(options.workdir) && !statSync(options.workdir).isDirectory()) {
    throw new UsageError(`--workdir ${options.workdir}: is a file; give a directory (it is created if missing)`);
  }
}

export function prepareJob<S extends z.ZodObject>(
  command: Command,
  schema: S,
  options: EntrypointOptions,
  context: ProcessorContext,
): Prepared<z.infer<S>> {
  const { io, env } = context;
  checkNotEmpty({ ...options, workdir: options.workdir === undefined ? undefined : resolve(io.cwd, options.workdir) });
  const fromJson = options.jsonInput ? readJobJson(options.jsonInput, context) : {};
  const parameters = validateJob(schema, { ...fromJson, ...givenParameters(command, schema) }, 'invalid job');
  const supplied = {
    dem: suppliedFile('--dem', options.dem, io.cwd),
    waterMask: suppliedFile('--water-mask', options.waterMask, io.cwd),
  };
  return {
    parameters,
    ...prepareRun(options, context),
    supplied,
    endpoints: {
      orbits: options.orbitsUrl,
      auxCal: options.auxCalUrl ?? null,
      auxCalCatalogue: options.auxCalCatalogue.trim().toLowerCase() === 'none' ? null : options.auxCalCatalogue,
    },
    childEnv: childEnvironment(env, context.ompNumThreads),
  };
}

function prepareRun(
  options: EntrypointOptions,
  context: ProcessorContext,
): Pick<Prepared<unknown>, 'credentials' | 'topsapp'> {
  const credentials = jobCredentials(options, context.env, !options.dryRun);
  const topsapp = options.dryRun ? null : resolveTopsapp(options.topsapp, context.env.PATH);
  return { credentials, topsapp };
}

/** What a job plans for topsApp: its steps and looks, whether it estimates the ionosphere, the water mask it makes. */
interface TopsappPlan {
  readonly ionosphere: boolean;
  readonly localize: Pick<Localization, 'waterMask'>;
  readonly topsapp: { readonly steps: readonly string[]; readonly looks: { range: number; azimuth: number } };
}

/**
 * topsApp's steps, with the ionosphere's sub-steps before topsApp's geocode when the job estimates the ionosphere
 * (run by the interpreter that runs topsApp.py, which has ISCE2).
 */
export function topsappAndIonosphereSteps(
  job: Pick<Prepared<unknown>, 'topsapp' | 'childEnv'>,
  plan: TopsappPlan,
  options: Pick<EntrypointOptions, 'ionSubsteps'>,
  cwd: string,
): Step[] {
  const topsapp = topsappSteps(job.topsapp!, plan.topsapp.steps, job.childEnv);
  if (!plan.ionosphere) return topsapp;
  const script = resolve(cwd, options.ionSubsteps);
  if (!existsSync(script)) throw new UsageError(`--ion-substeps ${options.ionSubsteps}: no such file`);
  const ionosphere = ionosphereSteps({
    interpreter: interpreterOf(job.topsapp!),
    script,
    env: job.childEnv,
    waterMask: plan.localize.waterMask.file,
    looks: plan.topsapp.looks,
  });
  return withIonosphereSteps(topsapp, ionosphere);
}

/** The localization steps of a run, logged in to Earthdata with the job's credentials. */
export function localizeWith(
  localize: Localization,
  credentials: JobCredentials,
  options: EntrypointOptions,
  context: ProcessorContext,
): Step[] {
  const earthdata = new EarthdataSession({
    username: credentials.earthdata!.username,
    password: credentials.earthdata!.password,
    ursHost: options.ursHost,
    fetch: context.fetch,
  });
  const http = { fetch: context.fetch };
  return localizationSteps(localize, {
    earthdata,
    orbitsBaseUrl: options.orbitsUrl,
    dem: { tilesUrl: options.demTilesUrl, geoidUrl: options.geoidUrl, http },
    waterMask: { tilesUrl: options.waterMaskTilesUrl, http },
    http,
    downloadWorkers: options.downloadWorkers,
    downloadParts: options.downloadParts,
  });
}
