import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { readUserNetrc } from '../io/netrc.js';
import { ownedFiles } from '../io/owned-dir.js';
import { redactCommandLine } from '../product/provenance.js';
import { cdseCredential, earthdataCredential, MISSING_EARTHDATA, type Credential } from './credentials.js';

/**
 * Preparing a processor job, whichever entry point runs it: who it logs in as, what its provenance says, the
 * environment ISCE2 gets, and the identity a resumed run must match.
 */

/** What a job was asked for on its command line or in its job file, as far as credentials go. */
export interface CredentialOptions {
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly esaUsername?: string | undefined;
  readonly esaPassword?: string | undefined;
}

/** A job's identity for resuming: what it makes and from which parameters. */
export function jobIdentity(name: string, parameters: unknown): string {
  return `${name} ${createHash('sha256').update(JSON.stringify(parameters)).digest('hex').slice(0, 12)}`;
}

/** The provenance command line: the original `isce2_topsapp ++process <entry> ...` form, every secret as ***. */
export function provenanceCommandLine(entrypoint: string, argv: readonly string[]): string {
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '++process') i++;
    else if (!token.startsWith('++process=')) rest.push(/\s/.test(token) ? `"${token}"` : token);
  }
  return redactCommandLine(['isce2_topsapp', '++process', entrypoint, ...rest].join(' '));
}

export interface JobCredentials {
  readonly earthdata: Credential | null;
  readonly cdse: Credential | null;
}

/**
 * Credentials by the documented precedence (flags, then environment, then ~/.netrc), checked before any work:
 * Earthdata is required unless nothing will be downloaded; a half-given CDSE pair is an error.
 */
export function jobCredentials(
  options: CredentialOptions,
  env: NodeJS.ProcessEnv,
  needEarthdata: boolean,
): JobCredentials {
  if (Boolean(options.esaUsername) !== Boolean(options.esaPassword)) {
    throw new UsageError(
      `${options.esaUsername ? '--esa-password' : '--esa-username'} is missing: give --esa-username and --esa-password together`,
    );
  }
  const netrc = readUserNetrc(env);
  const earthdata = earthdataCredential({ username: options.username, password: options.password }, env, netrc);
  if (!earthdata && needEarthdata) throw new UsageError(MISSING_EARTHDATA);
  const cdse = cdseCredential({ username: options.esaUsername, password: options.esaPassword }, env, netrc);
  return { earthdata, cdse };
}

/** The environment for ISCE2: the caller's, minus every credential variable, plus OMP_NUM_THREADS when given. */
export function childEnvironment(env: NodeJS.ProcessEnv, ompNumThreads: number | null): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if (/^(EARTHDATA|ESA|CDSE)_(USERNAME|PASSWORD)$/.test(key)) continue;
    out[key] = value;
  }
  if (ompNumThreads) out.OMP_NUM_THREADS = String(ompNumThreads);
  return out;
}

const PLAN_FILE = 'plan.json';

/**
 * plan.json of `job` in the work directory. One the user put there (or changed) is never replaced; one an earlier
 * run of the same job wrote is brought up to date; one of another job only with `--overwrite`.
 */
export function writePlanFile(workdir: string, job: string, text: string, overwrite: boolean): string {
  const owned = ownedFiles(workdir, '--workdir');
  const set = `plan of ${job}`;
  const earlier = owned.owns(PLAN_FILE) ? owned.setOf(PLAN_FILE) : undefined;
  if (existsSync(join(workdir, PLAN_FILE)) && earlier !== undefined && earlier !== set) {
    if (!overwrite)
      throw new UsageError(
        `--workdir ${workdir}: ${PLAN_FILE} there plans another job (${earlier.replace(/^plan of /, '')}); pass --overwrite to replace it, or run in another directory`,
      );
    owned.removeOwn(PLAN_FILE);
  }
  return owned.writeFile(PLAN_FILE, text, { set, overwrite: true });
}
