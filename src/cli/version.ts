import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isNormalPep440 } from '../release/pep440.js';

/** Where this tool's version came from, in the order they are tried. */
export type VersionSource = 'git' | 'stamp' | 'package';

export interface ToolIdentity {
  readonly name: string;
  readonly version: string;
  readonly source: VersionSource;
}

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Written by `scripts/stamp-version.mjs` when an image or package is built from a tree without `.git`. */
const STAMP = new URL('../version.json', import.meta.url);

let resolved: Promise<ToolIdentity> | undefined;

/**
 * The version this tool runs as, the same one its products, reports and `--version` carry. The plugin writes its
 * setuptools_scm version into every product, so this is the release tools' version too:
 * 1. in a git checkout of the project, what `gunw version` prints there (0.1.dev107+g577943dad), so a stamp left
 *    by an earlier build never outlives the commit it was made for;
 * 2. a stamp written at build time (the image: its build context has no `.git`, the container action passes the
 *    version in as the GUNW_VERSION build argument);
 * 3. otherwise package.json's version.
 * Resolved once per process, on first use: most commands never need it, and asking git costs a few spawns.
 */
export function toolIdentity(): Promise<ToolIdentity> {
  if (!resolved) {
    resolved = resolveToolIdentity();
    // Callers may ask early and await later: a failure (a broken stamp) is reported where it is awaited, never as
    // an unhandled rejection in between.
    resolved.catch(() => undefined);
  }
  return resolved;
}

async function resolveToolIdentity(): Promise<ToolIdentity> {
  const name = manifest().name ?? 'dockerized-topsapp';
  if (existsSync(`${PACKAGE_ROOT}.git`)) {
    try {
      // The release modules (and semver) load only here, in a checkout: an installed tool reads its stamp.
      const [{ Git }, { devVersionIn }, { sourceDate }] = await Promise.all([
        import('../io/git.js'),
        import('../release/workspace.js'),
        import('../release/dev-version.js'),
      ]);
      const { version } = await devVersionIn(new Git(PACKAGE_ROOT), {
        today: sourceDate(process.env.SOURCE_DATE_EPOCH),
      });
      return { name, version, source: 'git' };
    } catch {
      // A shallow clone or no git on PATH: a stamp or the package's own version is the honest fallback.
    }
  }
  const stamped = await readStamp();
  if (stamped !== null) return { name, version: stamped, source: 'stamp' };
  return { name, version: manifest().version ?? '0.0.0', source: 'package' };
}

/** A stamp holds a version as the release tools write it (0.3.8, 0.2.2.dev148+g324ae4555.d20261124, 0.1.0+unknown). */
async function readStamp(): Promise<string | null> {
  if (!existsSync(STAMP)) return null;
  // zod is loaded only when there is a stamp to check: loading it with this module cost every command's start-up
  // about 60 ms (`gunw diff` among them), most of which never need a version.
  const { z } = await import('zod');
  const stampSchema = z.object({ version: z.string().refine(isNormalPep440, 'a normalised PEP 440 version') });
  const parsed = stampSchema.safeParse(JSON.parse(readFileSync(STAMP, 'utf8')));
  if (!parsed.success) throw new Error(`${fileURLToPath(STAMP)} is not a version stamp: rebuild the image or package`);
  return parsed.data.version;
}

function manifest(): { name?: string; version?: string } {
  try {
    return JSON.parse(readFileSync(`${PACKAGE_ROOT}package.json`, 'utf8')) as { name?: string; version?: string };
  } catch {
    return {};
  }
}

/** `--version`/`-V` alone: answered before the program is built, so only this path pays for asking git. */
export function asksForVersion(argv: readonly string[]): boolean {
  return argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V');
}
