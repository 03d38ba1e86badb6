import { parseChangelog } from './changelog/parse.js';
import { releaseNotes } from './changelog/rules.js';
import { decideBump, DEFAULT_BUMP_LABELS, type BumpLabelNames } from './labels.js';
import { highestReleaseTag, planRelease, DEFAULT_TAG_PREFIX } from './plan.js';

/**
 * What a push to the release branch should publish (pure): nothing when the commit is already released, has no
 * merged pull request, or is labelled bumpless; otherwise the tag, the release name and the changelog section as
 * notes. Everything that can stop a release is decided here, before anything is created.
 */

export interface MergedPullRequest {
  readonly number: number;
  readonly title: string;
  readonly labels: readonly string[];
  readonly mergeCommitSha: string | null;
  readonly mergedAt: string | null;
}

export interface PublicationInput {
  readonly commit: string;
  /** Tags pointing at the commit. */
  readonly tagsAtCommit: readonly string[];
  /** Tags reachable from the commit. */
  readonly reachableTags: readonly string[];
  /** Pull requests GitHub associates with the commit. */
  readonly pullRequests: readonly MergedPullRequest[];
  readonly changelog: { readonly path: string; readonly text: string } | null;
  readonly tagPrefix?: string;
  readonly releaseNamePrefix?: string;
  readonly labelNames?: BumpLabelNames;
}

export type Publication =
  | { readonly action: 'skip'; readonly reason: string; readonly tag: string | null }
  | { readonly action: 'fail'; readonly reason: string }
  | {
      readonly action: 'release';
      readonly tag: string;
      readonly version: string;
      readonly name: string;
      readonly notes: string;
      readonly tagMessage: string;
      readonly pullRequest: number;
      readonly planNotes: readonly string[];
    };

/** The pull request that produced the commit: the one whose merge commit it is, else the last one merged. */
export function mergedPullRequest(commit: string, pulls: readonly MergedPullRequest[]): MergedPullRequest | null {
  const exact = pulls.find((p) => p.mergeCommitSha === commit && p.mergedAt !== null);
  if (exact) return exact;
  const merged = pulls.filter((p) => p.mergedAt !== null).sort((a, b) => (a.mergedAt! < b.mergedAt! ? 1 : -1));
  return merged[0] ?? null;
}

export function planPublication(input: PublicationInput): Publication {
  const prefix = input.tagPrefix ?? DEFAULT_TAG_PREFIX;
  const already = highestReleaseTag(input.tagsAtCommit, { finalOnly: true });
  if (already)
    return {
      action: 'skip',
      reason: `${input.commit.slice(0, 7)} is already released as ${already.tag}`,
      tag: already.tag,
    };
  const pull = mergedPullRequest(input.commit, input.pullRequests);
  if (!pull) {
    return {
      action: 'skip',
      reason: `no merged pull request for ${input.commit.slice(0, 7)}: only merged, labelled pull requests are released`,
      tag: null,
    };
  }
  const decision = decideBump(pull.labels, input.labelNames ?? DEFAULT_BUMP_LABELS);
  if (decision.kind === 'error') return { action: 'fail', reason: `pull request #${pull.number}: ${decision.message}` };
  if (decision.kind === 'bumpless')
    return {
      action: 'skip',
      reason: `pull request #${pull.number} is labelled ${decision.label}: no release`,
      tag: null,
    };
  const plan = planRelease(input.reachableTags, decision, prefix);
  const version = plan.nextVersion!;
  if (!input.changelog)
    return { action: 'fail', reason: `no changelog found: release notes for ${version} come from its section` };
  const notes = releaseNotes(parseChangelog(input.changelog.text), version);
  if (notes === null || notes.trim() === '') {
    return {
      action: 'fail',
      reason: `${input.changelog.path} has no section "## [${version}]" (the version label ${decision.label} of #${pull.number} releases): nothing was tagged; a re-run of this commit cannot change that, so merge a pull request labelled ${decision.label} that adds the section (it releases ${version})`,
    };
  }
  return {
    action: 'release',
    tag: plan.nextTag!,
    version,
    name: `${input.releaseNamePrefix ? `${input.releaseNamePrefix} ` : ''}${plan.nextTag}`,
    notes,
    tagMessage: pull.title,
    pullRequest: pull.number,
    planNotes: plan.notes,
  };
}
