import semver from 'semver';
import type { Bump, BumpDecision } from './labels.js';
import { highestVersionTag, versionTags } from './version-tags.js';

/**
 * Release planning from tags and a bump decision (pure). The current version is the highest version tag reachable
 * from HEAD, annotated or lightweight, read exactly as `gunw version` (setuptools_scm) reads tags: with or without
 * the `v`, pre-releases included (see version-tags.ts). A pre-release's patch or minor bump releases its final
 * version (v1.0.0-rc.1 + patch → v1.0.0), so a plan never goes below a version the images already carry.
 */

export const DEFAULT_TAG_PREFIX = 'v';
/** With no version tag yet, the first release bumps from this. */
export const STARTING_VERSION = '0.0.0';

export interface ReleasePlan {
  readonly currentVersion: string | null;
  readonly currentTag: string | null;
  readonly bump: Bump | null;
  readonly release: boolean;
  readonly nextVersion: string | null;
  readonly nextTag: string | null;
  /** What a person should know about how the plan was made. */
  readonly notes: readonly string[];
  /** Why the labels cannot be planned (no release label, or more than one); null when they can. */
  readonly error: string | null;
}

/** The highest version tag and its SemVer version (pre-releases too, unless `finalOnly`), or null. */
export function highestReleaseTag(
  tags: readonly string[],
  options: { finalOnly?: boolean } = {},
): { tag: string; version: string } | null {
  const best = highestVersionTag(tags, options);
  return best ? { tag: best.tag, version: best.semver } : null;
}

export function nextVersion(current: string | null, bump: Bump): string {
  return semver.inc(current ?? STARTING_VERSION, bump)!;
}

/** The plan for a merge carrying these labels. Throws nothing: a bad label set is in `error`, with release false. */
export function planRelease(tags: readonly string[], decision: BumpDecision, prefix = DEFAULT_TAG_PREFIX): ReleasePlan {
  const current = highestReleaseTag(tags);
  const notes: string[] = [];
  if (!current) notes.push(`no version tag is reachable from HEAD; the first release bumps from ${STARTING_VERSION}`);
  const unordered = versionTags(tags).filter((t) => t.semver === null);
  if (unordered.length > 0) notes.push(`not counted (no SemVer order): ${unordered.map((t) => t.tag).join(', ')}`);
  const base = { currentVersion: current?.version ?? null, currentTag: current?.tag ?? null };
  const none = { bump: null, release: false, nextVersion: null, nextTag: null };
  if (decision.kind === 'error') return { ...base, ...none, notes, error: decision.message };
  if (decision.kind === 'bumpless')
    return { ...base, ...none, notes: [...notes, `label ${decision.label}: no release`], error: null };
  const next = nextVersion(base.currentVersion, decision.bump);
  if (current && semver.prerelease(current.version))
    notes.push(`${current.tag} is a pre-release: ${decision.bump} releases ${next}`);
  return {
    ...base,
    bump: decision.bump,
    release: true,
    nextVersion: next,
    nextTag: `${prefix}${next}`,
    notes,
    error: null,
  };
}
