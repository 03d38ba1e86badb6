import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { userCacheDir } from '../io/frames.js';
import { Hyp3Client, HYP3_DEPLOYMENTS } from '../io/hyp3.js';
import type { NetrcEntry } from '../io/netrc.js';
import { earthdataCredential } from '../processor/credentials.js';
import { printable } from '../text.js';

/**
 * A HyP3 session as `gunw regression run`, `gunw hyp3 …` and the regression action open it: one place that turns
 * a deployment and what the caller knows of credentials into a client, so the command line and CI cannot drift.
 */
export interface Hyp3SessionRequest {
  /** `production`, `test`, `edc`, or a deployment's https URL. */
  readonly deployment: string;
  /** An Earthdata Login token given explicitly (a flag, an action input): it wins. */
  readonly token?: string | undefined;
  /**
   * The caller's environment, for EARTHDATA_TOKEN (or HYP3_TOKEN), then EARTHDATA_USERNAME/EARTHDATA_PASSWORD; the
   * action passes none, so only its input counts there.
   */
  readonly env?: NodeJS.ProcessEnv;
  /** ~/.netrc's entries, the last source of Earthdata credentials. */
  readonly netrc?: ReadonlyMap<string, NetrcEntry> | null;
  readonly maxRetryWaitMs?: number | undefined;
  readonly onNotice?: (message: string) => void;
}

/** The URL of a deployment named by its short name, or the https URL given. */
export function hyp3DeploymentUrl(deployment: string): string {
  if (Object.hasOwn(HYP3_DEPLOYMENTS, deployment)) return HYP3_DEPLOYMENTS[deployment as keyof typeof HYP3_DEPLOYMENTS];
  let url: URL;
  try {
    url = new URL(deployment);
  } catch {
    throw new UsageError(
      `HyP3 deployment "${printable(deployment)}": name one of ${Object.keys(HYP3_DEPLOYMENTS).join(', ')} or give its https URL`,
    );
  }
  const local = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  if (url.protocol !== 'https:' && !(local && url.protocol === 'http:'))
    throw new UsageError(`HyP3 deployment ${url.origin}: use https (tokens and passwords travel with every request)`);
  return deployment;
}

export function hyp3Session(request: Hyp3SessionRequest): Hyp3Client {
  const env = request.env ?? {};
  const common = {
    baseUrl: hyp3DeploymentUrl(request.deployment),
    maxRetryWaitMs: request.maxRetryWaitMs,
    ...(request.onNotice ? { onNotice: request.onNotice } : {}),
  };
  const bearer = request.token || env.EARTHDATA_TOKEN || env.HYP3_TOKEN;
  if (bearer) return new Hyp3Client({ ...common, token: bearer });
  const credential = earthdataCredential({}, env, request.netrc ?? null);
  if (!credential)
    throw new UsageError(
      'HyP3 needs Earthdata Login: pass --hyp3-token, set EARTHDATA_TOKEN, or give EARTHDATA_USERNAME/EARTHDATA_PASSWORD or a ~/.netrc entry for urs.earthdata.nasa.gov',
    );
  return new Hyp3Client({ ...common, credentials: { username: credential.username, password: credential.password } });
}

/**
 * Where downloaded references and candidates are kept between runs: the runner's temporary directory in a GitHub
 * Actions job (kept for the job only), the user's cache directory otherwise.
 */
export function regressionCacheDir(env: NodeJS.ProcessEnv): string {
  return env.RUNNER_TEMP ? join(env.RUNNER_TEMP, 'gunw-regression-cache') : join(userCacheDir(env), 'regression');
}
