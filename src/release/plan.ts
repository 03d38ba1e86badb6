import semver from 'semver';
import type { Bump, BumpDecision } from './labels.js';

/**
 * Release planning from tags and a bump decision (pure). The current version is the highest `vX.Y.Z` tag
 * reachable from HEAD, annotated or lightweight alike (setuptools_scm, which versions the images, counts both;
 * counting only annotated tags is how the original tooling came to disagree with its own images). Pre-release
 * tags (`v1.0.0-rc.1`) are not releases and are not counted.
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
  /** Why the labels cannot be planned (no bump label, or contradicting labels); null when they can. */
  readonly error: string | null;
}

export function highestReleaseTag(tags: readonly string[], prefix = DEFAULT_TAG_PREFIX): { tag: string; version: string } | null {
  let best: { tag: string; version: string } | null = null;
  for (const tag of tags) {
    if (!tag.startsWith(prefix)) continue;
    const version = tag.slice(prefix.length);
    if (!/^\d+\.\d+\.\d+$/.test(version) || !semver.valid(version)) continue;
    if (!best || semver.gt(version, best.version)) best = { tag, version };
  }
  return best;
}

export function nextVersion(current: string | null, bump: Bump): string {
  return semver.inc(current ?? STARTING_VERSION, bump)!;
}

/** The plan for a merge carrying these labels. Throws nothing: a bad label set is in `error`, with release false. */
export function planRelease(tags: readonly string[], decision: BumpDecision, prefix = DEFAULT_TAG_PREFIX): ReleasePlan {
  const current = highestReleaseTag(tags, prefix);
  const notes: string[] = [];
  if (!current) notes.push(`no ${prefix}X.Y.Z tag is reachable from HEAD; the first release bumps from ${STARTING_VERSION}`);
  const base = { currentVersion: current?.version ?? null, currentTag: current?.tag ?? null };
  const none = { bump: null, release: false, nextVersion: null, nextTag: null };
  if (decision.kind === 'error') return { ...base, ...none, notes, error: decision.message };
  if (decision.kind === 'bumpless') return { ...base, ...none, notes: [...notes, `label ${decision.label}: no release`], error: null };
  if (decision.ignored.length > 0) notes.push(`several bump labels: ${decision.label} wins over ${decision.ignored.join(', ')}`);
  const next = nextVersion(base.currentVersion, decision.bump);
  return { ...base, bump: decision.bump, release: true, nextVersion: next, nextTag: `${prefix}${next}`, notes, error: null };
}
