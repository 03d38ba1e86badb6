import { UsageError } from '../errors.js';
import type { DescribedHead, Git } from '../io/git.js';
import { parseChangelog } from './changelog/parse.js';
import { checkChangelog, type ChangelogExpectation, type ChangelogFailure } from './changelog/rules.js';
import { splitByChange } from './changelog/scope.js';
import { containerTags, isImageName, type ContainerBuild, type ContainerTags } from './container.js';
import { setuptoolsScmVersion, dockerTagOf } from './dev-version.js';
import { decideBump, type BumpDecision, type BumpLabelNames, DEFAULT_BUMP_LABELS } from './labels.js';
import { DEFAULT_TAG_PREFIX, highestReleaseTag, planRelease, type ReleasePlan } from './plan.js';

/**
 * The release use cases over a repository: each reads what it needs through the git adapter and hands it to the
 * pure planners. Shared by the `gunw` commands and the actions.
 */

/**
 * Versions come from tags and the commits since them; a shallow clone has neither and would give a confident wrong
 * answer (v0.0.1, 0.1.dev1), so it is refused.
 */
export class ShallowCloneError extends UsageError {
  override name = 'ShallowCloneError';
}

export async function assertVersionHistory(git: Git): Promise<void> {
  if ((await git.workTree()).shallow) {
    throw new ShallowCloneError(
      `${git.repo} is a shallow clone, which lacks the tags and history versions come from: fetch them (git fetch --unshallow --tags, or actions/checkout with fetch-depth: 0)`,
    );
  }
}

export async function planReleaseIn(
  git: Git,
  labels: readonly string[],
  options: { prefix?: string; names?: BumpLabelNames } = {},
): Promise<ReleasePlan> {
  await assertVersionHistory(git);
  return planRelease(
    await git.tagsReachable(),
    decideBump(labels, options.names),
    options.prefix ?? DEFAULT_TAG_PREFIX,
  );
}

export interface DevVersion {
  readonly version: string;
  readonly dockerTag: string;
  readonly head: DescribedHead;
}

export async function devVersionIn(git: Git, options: { today: Date; hashLength?: number }): Promise<DevVersion> {
  // Asked together (every tool start in a checkout asks); a directory that is no repository, or a shallow clone,
  // is reported as such whatever git describe said.
  const [history, described] = await Promise.allSettled([assertVersionHistory(git), git.describeHead()]);
  if (history.status === 'rejected') throw history.reason;
  if (described.status === 'rejected') throw described.reason;
  const head = described.value;
  const version = setuptoolsScmVersion(head, options);
  return { version, dockerTag: dockerTagOf(version), head };
}

/**
 * The tags of a build of HEAD at `build.ref`. A tag ref must name a tag that points at HEAD, and the version is that
 * tag's (not another tag git describe might prefer on the same commit); a ref that does not match is refused.
 */
export async function containerTagsIn(
  git: Git,
  build: Omit<ContainerBuild, 'version' | 'commit' | 'created'> & { created?: Date },
  options: { today: Date; hashLength?: number },
): Promise<ContainerTags & { version: string }> {
  if (build.image !== undefined && !isImageName(build.image)) {
    throw new UsageError(
      `image "${build.image}" is not an image name: [registry[:port]/]path, without tag or digest (e.g. ghcr.io/owner/repo, localhost:5000/app)`,
    );
  }
  const described = await devVersionIn(git, options);
  let { version, head } = described;
  const tagRef = /^refs\/tags\/(.+)$/.exec(build.ref)?.[1];
  if (tagRef !== undefined) {
    if (!(await git.tagsAtHead()).includes(tagRef)) {
      const target = await git.tagTarget(tagRef);
      throw new UsageError(
        target === null
          ? `--ref ${build.ref}: no tag ${tagRef} in ${git.repo} (fetch tags: git fetch --tags)`
          : `--ref ${build.ref}: tag ${tagRef} points at ${target.slice(0, 9)}, not at HEAD ${head.commit.slice(0, 9)} (check out the tag first)`,
      );
    }
    head = { ...head, tag: tagRef, distance: 0 };
    version = setuptoolsScmVersion(head, options);
  }
  const created = build.created ?? (await git.headDate());
  return { ...containerTags({ ...build, version, commit: head.commit, created }), version };
}

export interface ChangelogCheck {
  readonly file: string;
  readonly expectation: ChangelogExpectation;
  readonly changed: boolean | null;
  readonly failures: readonly ChangelogFailure[];
  /** Problems in sections the pull request did not touch: reported, not failed. */
  readonly notices: readonly ChangelogFailure[];
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
  const names = options.names ?? DEFAULT_BUMP_LABELS;
  let decision: BumpDecision | null = options.labels ? decideBump(options.labels, names) : null;
  if (decision || options.base !== undefined) await assertVersionHistory(git);
  else await git.assertRepository();
  const failures: ChangelogFailure[] = [];
  if (decision?.kind === 'error') {
    failures.push({ line: 1, code: 'labels', message: decision.message });
    decision = null;
  }
  const tags = await git.tagsReachable();
  const prefix = options.prefix ?? DEFAULT_TAG_PREFIX;
  let expectation: ChangelogExpectation = { kind: 'none' };
  if (decision?.kind === 'release') {
    expectation = {
      kind: 'release',
      label: decision.label,
      nextVersion: planRelease(tags, decision, prefix).nextVersion!,
    };
  } else if (decision?.kind === 'bumpless') {
    expectation = { kind: 'bumpless', label: decision.label, currentVersion: highestReleaseTag(tags)?.version ?? null };
  }
  let changed: boolean | null = null;
  let changedLines: Set<number> | null = null;
  if (options.base !== undefined) {
    changedLines = await git.changedLines(options.base, file.path);
    changed = changedLines.size > 0;
    if (!changed && decision?.kind !== 'bumpless') {
      failures.push({
        line: 1,
        code: 'not-updated',
        message: `not changed since ${options.base}: describe this pull request's changes under the right heading (or label it ${names.bumpless})`,
      });
    }
  }
  const doc = parseChangelog(file.text);
  failures.push(...checkChangelog(doc, expectation));
  // With a base, only what the pull request added or edited can fail it; without one, the whole file is checked.
  const split = changedLines ? splitByChange(doc, failures, changedLines) : { failures, notices: [] };
  const byLine = (a: ChangelogFailure, b: ChangelogFailure) => a.line - b.line;
  return {
    file: file.path,
    expectation,
    changed,
    failures: split.failures.sort(byLine),
    notices: split.notices.sort(byLine),
  };
}
