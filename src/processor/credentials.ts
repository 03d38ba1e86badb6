import type { NetrcEntry } from '../io/netrc.js';

/**
 * Where credentials come from, in one documented order per field: command-line flags, then environment
 * variables, then `~/.netrc`. (The original let an existing ~/.netrc silently override flags and environment, and
 * wrote passwords into it; here nothing is written and explicit input always wins.)
 */

export const EARTHDATA_HOST = 'urs.earthdata.nasa.gov';
export const CDSE_HOST = 'dataspace.copernicus.eu';

export interface Credential {
  readonly username: string;
  readonly password: string;
  /** Where each came from, for messages (never the values). */
  readonly source: string;
}

export interface CredentialInputs {
  readonly flags: { readonly username?: string; readonly password?: string };
  readonly env: NodeJS.ProcessEnv;
  readonly envNames: readonly (readonly [string, string])[];
  readonly netrc: ReadonlyMap<string, NetrcEntry> | null;
  readonly host: string;
}

export function resolveCredential(inputs: CredentialInputs): Credential | null {
  const { flags, env, netrc, host } = inputs;
  if (flags.username && flags.password)
    return { username: flags.username, password: flags.password, source: 'command-line flags' };
  for (const [user, pass] of inputs.envNames) {
    const username = flags.username || env[user];
    const password = flags.password || env[pass];
    if (username && password)
      return {
        username,
        password,
        source: flags.username || flags.password ? `flags and ${user}/${pass}` : `${user}/${pass}`,
      };
  }
  const entry = netrc?.get(host);
  if (entry?.login && entry.password)
    return {
      username: flags.username || entry.login,
      password: flags.password || entry.password,
      source: `~/.netrc (machine ${host})`,
    };
  return null;
}

/** A service's credentials: its netrc machine and the environment variable pairs that may hold them, in order. */
type Service = Pick<CredentialInputs, 'host' | 'envNames'>;

type CredentialLookup = (
  flags: CredentialInputs['flags'],
  env: NodeJS.ProcessEnv,
  netrc: ReadonlyMap<string, NetrcEntry> | null,
) => Credential | null;

function credentialOf(service: Service): CredentialLookup {
  return (flags, env, netrc) => resolveCredential({ ...service, flags, env, netrc });
}

export const earthdataCredential = credentialOf({
  host: EARTHDATA_HOST,
  envNames: [['EARTHDATA_USERNAME', 'EARTHDATA_PASSWORD']],
});

export const cdseCredential = credentialOf({
  host: CDSE_HOST,
  envNames: [
    ['ESA_USERNAME', 'ESA_PASSWORD'],
    ['CDSE_USERNAME', 'CDSE_PASSWORD'],
  ],
});

export const MISSING_EARTHDATA =
  'Earthdata credentials are missing: pass --username and --password, set EARTHDATA_USERNAME and EARTHDATA_PASSWORD, or add "machine urs.earthdata.nasa.gov login USER password PASS" to ~/.netrc';
export const MISSING_CDSE =
  'Copernicus Data Space credentials are missing: pass --esa-username and --esa-password, set ESA_USERNAME and ESA_PASSWORD, or add "machine dataspace.copernicus.eu login USER password PASS" to ~/.netrc';
