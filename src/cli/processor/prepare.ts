import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { z } from 'zod';
import { EarthdataSession } from '../../io/earthdata.js';
import { validateJob } from '../../processor/job-form.js';
import { localizationSteps } from '../../processor/localize.js';
import { DEFAULT_ENDPOINTS, type Endpoints, type Localization, type SuppliedFiles } from '../../processor/plan.js';
import type { Step } from '../../processor/runner.js';
import { resolveTopsapp } from '../../processor/steps.js';
import { childEnvironment, jobCredentials, readJobJson, type JobCredentials, type ProcessorContext } from './context.js';
import { givenParameters, type JobOptions } from './options.js';

/**
 * What both entry points do before planning, in the same order: the job (JSON form overridden by flags) validated,
 * the credentials found, ISCE2 required unless nothing will run — every check before any download.
 */

export interface EntrypointOptions extends JobOptions {
  readonly auxCalUrl?: string[];
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

export function prepareJob<S extends z.ZodObject>(command: Command, schema: S, options: EntrypointOptions, context: ProcessorContext): Prepared<z.infer<S>> {
  const { io, env } = context;
  const fromJson = options.jsonInput ? readJobJson(options.jsonInput, context) : {};
  const parameters = validateJob(schema, { ...fromJson, ...givenParameters(command, schema) }, 'invalid job');
  return {
    parameters,
    ...prepareRun(options, context),
    supplied: { dem: options.dem ? resolve(io.cwd, options.dem) : null, waterMask: options.waterMask ? resolve(io.cwd, options.waterMask) : null },
    endpoints: { orbits: options.orbitsUrl, auxCal: options.auxCalUrl ?? DEFAULT_ENDPOINTS.auxCal },
    childEnv: childEnvironment(env, context.ompNumThreads),
  };
}

function prepareRun(options: EntrypointOptions, context: ProcessorContext): Pick<Prepared<unknown>, 'credentials' | 'topsapp'> {
  const credentials = jobCredentials(options, context.env, !options.dryRun);
  const topsapp = options.dryRun ? null : resolveTopsapp(options.topsapp, context.env.PATH);
  return { credentials, topsapp };
}

/** The localization steps of a run, logged in to Earthdata with the job's credentials. */
export function localizeWith(localize: Localization, credentials: JobCredentials, options: EntrypointOptions, context: ProcessorContext): Step[] {
  const earthdata = new EarthdataSession({ username: credentials.earthdata!.username, password: credentials.earthdata!.password, ursHost: options.ursHost, fetch: context.fetch });
  const http = { fetch: context.fetch };
  return localizationSteps(localize, {
    earthdata,
    orbitsBaseUrl: options.orbitsUrl,
    dem: { tilesUrl: options.demTilesUrl, geoidUrl: options.geoidUrl, http },
    waterMask: { tilesUrl: options.waterMaskTilesUrl, http },
    http,
  });
}
