import type { DescribedHead } from '../io/git.js';
import { UsageError } from '../errors.js';
import { NotAVersionTagError, tagVersion } from './version-tags.js';

/**
 * The development version exactly as setuptools_scm computes it with its default `guess-next-dev` version scheme
 * and `node-and-date` local scheme, from what `git describe --dirty --tags --long --match *[0-9]*` reports.
 * Verified outputs (setuptools_scm 10.x) are in the tests; no Python needed.
 */

export interface DevVersionOptions {
  /** The day stamped on dirty trees (`.dYYYYMMDD`, UTC). */
  readonly today: Date;
  /** Hex digits of the commit in `+g<hash>`: 9 in setuptools_scm 10, 7 in releases before 8. */
  readonly hashLength?: number;
}

/** guess-next-dev: bump the last number of the version (1.2.3 → 1.2.4, 2.0.0b1 → 2.0.0b2, 0.0 → 0.1). */
export function guessNextVersion(version: string): string {
  if (version.includes('.dev')) {
    const [prefix, tail] = [
      version.slice(0, version.lastIndexOf('.dev')),
      version.slice(version.lastIndexOf('.dev') + 4),
    ];
    if (tail !== '0')
      throw new NotAVersionTagError(`a tag with a dev number other than 0 (${version}) cannot be bumped`);
    return prefix;
  }
  const match = /^(.*?)(\d+)$/.exec(version);
  if (!match) throw new NotAVersionTagError(`cannot find a number to bump in ${version}`);
  return `${match[1]}${Number(match[2]) + 1}`;
}

/**
 * The day stamped on a dirty tree: SOURCE_DATE_EPOCH when set
 * (https://reproducible-builds.org/specs/source-date-epoch/,
 * as setuptools_scm honours it), else now.
 */
export function sourceDate(epoch: string | undefined, now: () => Date = () => new Date()): Date {
  if (epoch === undefined || epoch === '') return now();
  if (!/^\d+$/.test(epoch.trim()))
    throw new UsageError(
      `SOURCE_DATE_EPOCH "${epoch}" is not a whole number of seconds since 1970-01-01 (unset it or fix it)`,
    );
  return new Date(Number(epoch.trim()) * 1000);
}

function yyyymmdd(day: Date): string {
  return `${day.getUTCFullYear()}${String(day.getUTCMonth() + 1).padStart(2, '0')}${String(day.getUTCDate()).padStart(2, '0')}`;
}

/**
 * `X.Y.Z` on a clean tag; `X.Y.(Z+1).devN+g<hash>` after it; `.d<YYYYMMDD>` added when dirty; `0.1.devN+g…` with no
 * tag.
 */
export function setuptoolsScmVersion(head: DescribedHead, options: DevVersionOptions): string {
  const tag = head.tag === null ? '0.0' : tagVersion(head.tag);
  const node = `g${head.commit.slice(0, options.hashLength ?? 9)}`;
  if (head.tag !== null && head.distance === 0 && !head.dirty) return tag;
  const version = `${guessNextVersion(tag)}.dev${head.distance}`;
  return head.dirty ? `${version}+${node}.d${yyyymmdd(options.today)}` : `${version}+${node}`;
}

/** Docker tags may not contain `+`; the ASF convention (kept for tag continuity) replaces it with `_`. */
export function dockerTagOf(version: string): string {
  return version.replace('+', '_');
}

/** Docker's tag grammar: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`. */
export function isValidDockerTag(tag: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag);
}
