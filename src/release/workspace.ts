import type { Git } from '../io/git.js';
import { parseChangelog } from './changelog/parse.js';
import { checkChangelog, type ChangelogExpectation, type ChangelogFailure } from './changelog/rules.js';
import { containerTags, type ContainerBuild, type ContainerTags } from './container.js';
import { setuptoolsScmVersion, dockerTagOf, type DescribedHead } from './dev-version.js';
import { decideBump, type BumpDecision, type BumpLabelNames, DEFAULT_BUMP_LABELS } from './labels.js';
import { DEFAULT_TAG_PREFIX, highestReleaseTag, planRelease, type ReleasePlan } from './plan.js';

/**
 * The release use cases over a repository: each reads what it needs through the git adapter and hands it to the
 * pure planners. Shared by the `gunw` commands and the actions.
 */

export async function planReleaseIn(git: Git, labels: readonly string[], options: { prefix?: string; names?: BumpLabelNames } = {}): Promise<ReleasePlan> {
  await git.assertRepository();
  return planRelease(await git.tagsReachable(), decideBump(labels, options.names), options.prefix ?? DEFAULT_TAG_PREFIX);
}

export interface DevVersion {
  readonly version: string;
  readonly dockerTag: string;
  readonly head: DescribedHead;
}

export async function devVersionIn(git: Git, options: { today: Date; hashLength?: number }): Promise<DevVersion> {
  await git.assertRepository();
  const head = await git.describeHead();
  const version = setuptoolsScmVersion(head, options);
  return { version, dockerTag: dockerTagOf(version), head };
}

export async function containerTagsIn(
  git: Git,
  build: Omit<ContainerBuild, 'version' | 'commit' | 'created'> & { created?: Date },
  options: { today: Date; hashLength?: number },
): Promise<ContainerTags & { version: string }> {
  const { version, head } = await devVersionIn(git, options);
  const created = build.created ?? (await git.headDate());
  return { ...containerTags({ ...build, version, commit: head.commit, created }), version };
}

export interface ChangelogCheck {
  readonly file: string;
  readonly expectation: ChangelogExpectation;
  readonly changed: boolean | null;
  readonly failures: readonly ChangelogFailure[];
}

/**
 * Check a changelog against the pull request's labels: it must have changed since `base` (unless bumpless or no
 * base is given), follow Keep a Changelog, and show the version the label releases at the top.
 */
export async function checkChangelogIn(
  git: Git,
  file: { path: string; text: string },
  options: { labels?: readonly string[]; base?: string; prefix?: string; names?: BumpLabelNames },
): Promise<ChangelogCheck> {
  await git.assertRepository();
  const names = options.names ?? DEFAULT_BUMP_LABELS;
  let decision: BumpDecision | null = options.labels ? decideBump(options.labels, names) : null;
  const failures: ChangelogFailure[] = [];
  if (decision?.kind === 'error') {
    failures.push({ line: 1, code: 'labels', message: decision.message });
    decision = null;
  }
  const tags = await git.tagsReachable();
  const prefix = options.prefix ?? DEFAULT_TAG_PREFIX;
  let expectation: ChangelogExpectation = { kind: 'none' };
  if (decision?.kind === 'release') {
    expectation = { kind: 'release', label: decision.label, nextVersion: planRelease(tags, decision, prefix).nextVersion! };
  } else if (decision?.kind === 'bumpless') {
    expectation = { kind: 'bumpless', label: decision.label, currentVersion: highestReleaseTag(tags, prefix)?.version ?? null };
  }
  let changed: boolean | null = null;
  if (options.base !== undefined && decision?.kind !== 'bumpless') {
    changed = await git.changedSince(options.base, file.path);
    if (!changed) {
      failures.push({ line: 1, code: 'not-updated', message: `not changed since ${options.base}: describe this pull request's changes under the right heading (or label it ${names.bumpless})` });
    }
  }
  failures.push(...checkChangelog(parseChangelog(file.text), expectation));
  return { file: file.path, expectation, changed, failures: failures.sort((a, b) => a.line - b.line) };
}
