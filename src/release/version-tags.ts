import semver from 'semver';
import { UsageError } from '../errors.js';
import { formatPep440, parsePep440, type Pep440Version } from './pep440.js';

/**
 * Which tags name versions, read one way for every command: `gunw version` (setuptools_scm's rule), `gunw release
 * plan`, the changelog check and the release action. A tag names a version when setuptools_scm's default tag regex
 * finds one in it: an optional `name-` prefix, an optional `v`, then a PEP 440 version (`v0.3.8`, `0.3.8`,
 * `v1.0.0-rc.1`, `2.0`). The configured tag prefix only decides how *new* tags are spelled, so a repository whose
 * history mixes `0.3.8` and `v0.3.9` is read as one sequence.
 */

/** setuptools_scm's default tag regex: an optional `name-` prefix, an optional v, the version, no local part. */
const TAG_REGEX = /^(?:[\w-]+-)?(?<version>[vV]?\d+(?:\.\d+){0,2}[^+]*)(?:\+.*)?$/;

/** A tag git describe would pick (`--match *[0-9]*`) that names no version; setuptools_scm stops on it too. */
export class NotAVersionTagError extends UsageError {
  override name = 'NotAVersionTagError';
}

export interface VersionTag {
  readonly tag: string;
  /** PEP 440, normalised: what setuptools_scm prints (`1.0.0rc1`). */
  readonly pep440: string;
  /**
   * SemVer: what release planning bumps (`1.0.0-rc.1`); null for what SemVer cannot order (epochs, 4+ numbers,
   * pre-release dev tags).
   */
  readonly semver: string | null;
}

function parsedTag(tag: string): Pep440Version | null {
  const version = TAG_REGEX.exec(tag)?.groups?.version;
  return version ? parsePep440(version) : null;
}

/** The version a tag names, normalised (v0.3.8 → 0.3.8, 2.0.0-rc.1 → 2.0.0rc1); throws, naming the tag, when none. */
export function tagVersion(tag: string): string {
  const parsed = parsedTag(tag);
  if (!parsed) {
    throw new NotAVersionTagError(
      `tag "${tag}" names no version (versions come from tags like v1.2.3); rename or delete it, e.g. git tag -d "${tag}"`,
    );
  }
  return formatPep440({ ...parsed, local: null });
}

/**
 * The SemVer spelling of a PEP 440 version, ordered the same way: `1.2` → `1.2.0`, `1.0.0rc1` → `1.0.0-rc.1`,
 * `1.0.0.dev3` → `1.0.0-0.dev.3` (below every pre-release, as in PEP 440); post releases count as their release.
 */
function semverOf(v: Pep440Version): string | null {
  if (v.epoch !== 0 || v.release.length > 3) return null;
  const [major = 0, minor = 0, patch = 0] = v.release;
  const core = `${major}.${minor}.${patch}`;
  if (v.pre && v.dev !== null) return null;
  if (v.pre) return `${core}-${v.pre.label}.${v.pre.number}`;
  if (v.dev !== null) return `${core}-0.dev.${v.dev}`;
  return semver.valid(core);
}

/** Every tag that names a version, with both spellings; other tags are left out. */
export function versionTags(tags: readonly string[]): VersionTag[] {
  const out: VersionTag[] = [];
  for (const tag of tags) {
    const parsed = parsedTag(tag);
    if (parsed) out.push({ tag, pep440: formatPep440({ ...parsed, local: null }), semver: semverOf(parsed) });
  }
  return out;
}

/** The highest version among the tags (SemVer order); with `finalOnly`, pre-releases are passed over. */
export function highestVersionTag(
  tags: readonly string[],
  options: { finalOnly?: boolean } = {},
): (VersionTag & { semver: string }) | null {
  let best: (VersionTag & { semver: string }) | null = null;
  for (const candidate of versionTags(tags)) {
    if (candidate.semver === null) continue;
    if (options.finalOnly && semver.prerelease(candidate.semver)) continue;
    if (!best || semver.gt(candidate.semver, best.semver)) best = candidate as VersionTag & { semver: string };
  }
  return best;
}
