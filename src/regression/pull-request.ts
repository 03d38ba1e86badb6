import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { plainText } from '../text.js';

/**
 * Which pull request a regression report belongs to, and whether it may be posted there: the rules the regression
 * action applies to the events GitHub sends it, kept out of the action so they are read and tested as rules.
 */

/** Which run wrote a report directory, for a `workflow_run` job to check the artifact it downloaded. */
export const RUN_FILE = 'run.json';

/** A pull request comes from a fork when its head repository is not the base repository (its token cannot write). */
export function isForkPullRequest(
  pull: { readonly head?: { readonly repo?: { readonly full_name?: string } | null } } | undefined,
  repository: string,
): boolean {
  const head = pull?.head?.repo?.full_name;
  return head !== undefined && head !== repository;
}

/** What a `workflow_run` event says about the run it follows (never the artifact, which the run's code wrote). */
export interface WorkflowRun {
  readonly id?: number;
  readonly head_sha?: string;
  readonly head_branch?: string;
  readonly head_repository?: { readonly full_name?: string } | null;
  readonly pull_requests?: readonly { readonly number?: number; readonly head?: { readonly sha?: string } }[];
}

/** The open pull requests from `owner:branch`, with their head commits (the GitHub API, or a stand-in). */
export type OpenPullRequests = (
  owner: string,
  branch: string,
) => Promise<readonly { readonly number: number; readonly headSha: string }[]>;

/**
 * The pull request a `workflow_run` event is about, from the event alone: its `pull_requests`, or (for a fork's,
 * which GitHub leaves out there) the one open pull request whose head is the run's branch and commit.
 */
export async function pullRequestOfRun(run: WorkflowRun, openFrom: OpenPullRequests): Promise<number> {
  const listed = run.pull_requests?.find((p) => p.head?.sha === run.head_sha && typeof p.number === 'number');
  if (listed) return listed.number!;
  const [headOwner] = (run.head_repository?.full_name ?? '').split('/');
  if (!headOwner || !run.head_branch || !run.head_sha)
    throw new Error('the workflow_run event names no pull request, head repository or branch to find one by');
  const open = (await openFrom(headOwner, run.head_branch)).filter((p) => p.headSha === run.head_sha);
  if (open.length !== 1)
    throw new Error(
      `found ${open.length} open pull requests with head ${headOwner}:${run.head_branch} at ${run.head_sha.slice(0, 7)}; not commenting`,
    );
  return open[0]!.number;
}

/**
 * Why a downloaded report directory may not be posted for the run `runId` an event names, or null when it may: it
 * must say (in its untrusted `run.json`) that this run wrote it, or an older artifact would be posted as new.
 */
export function savedReportProblem(reportDir: string, runId: number | undefined): string | null {
  let origin: { runId?: unknown } = {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(reportDir, RUN_FILE), 'utf8'));
    if (typeof parsed === 'object' && parsed !== null) origin = parsed;
  } catch {
    // Absent or unreadable: it names no run, which is the problem reported below.
  }
  if (String(origin.runId) === String(runId)) return null;
  return `the report comes from run ${plainText(origin.runId) || 'unknown'}, not from the run this event is about (${String(runId)}); download the artifact with run-id: \${{ github.event.workflow_run.id }}`;
}
