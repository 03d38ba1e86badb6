import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import { z } from 'zod';
import { DEFAULT_COMMENT_AUTHOR, GitHubRepo } from '../../io/github.js';
import { ownedFiles } from '../../io/owned-dir.js';
import { REGRESSION_WORKSPACE } from '../../regression/workspace.js';
import { loadCases } from '../../regression/case.js';
import { hyp3Candidates } from '../../regression/hyp3-candidates.js';
import { hyp3Session, regressionCacheDir } from '../../regression/hyp3-session.js';
import { runRegression } from '../../regression/run.js';
import { COMMENT_MARKER, writeRegressionReports } from '../../regression/summary.js';
import { pullRequestNumber, readContext, type ActionContext } from '../shared/context.js';
import { readInputs } from '../shared/inputs.js';
import { writeSummary } from '../shared/run.js';
import { untrustedMarkdown } from './untrusted.js';
import { plainText } from '../../text.js';

/**
 * The regression check of a pull request: run the cases (candidates from a directory or made on HyP3), write the
 * reports, put the summary in the job summary and in one pull request comment that later runs update. A pull
 * request from a fork gets no comment from this job (its token cannot write): a `workflow_run` job runs this action
 * with `mode: comment` to post the report, taking the pull request from its event and the report as untrusted text.
 */

/** Which run wrote a report directory, for a `workflow_run` job to check the artifact it downloaded. */
export const RUN_FILE = 'run.json';

function parseInputs() {
  const raw = readInputs({
    mode: z.enum(['run', 'comment'], { message: 'run or comment' }).default('run'),
    cases: z.string().default('regression/cases'),
    candidates: z.string().optional(),
    hyp3: z.string().optional().describe('production, test, or a deployment URL'),
    'hyp3-token': z.string().optional(),
    profile: z.string().optional(),
    'fail-on': z.enum(['regression', 'ambiguity'], { message: 'regression or ambiguity' }).default('regression'),
    'report-dir': z.string().default('gunw-regression-report'),
    comment: z.enum(['auto', 'always', 'never'], { message: 'auto, always or never' }).default('auto'),
    'pr-number': z.string().regex(/^\d+$/, 'a pull request number').optional(),
    'github-token': z.string().optional(),
    'comment-author': z.string().min(1).default(DEFAULT_COMMENT_AUTHOR),
    jobs: z
      .string()
      .regex(/^[1-9]\d*$/, 'a positive whole number')
      .default('2'),
  });
  return raw;
}

type Inputs = ReturnType<typeof parseInputs>;

function isFork(context: ActionContext): boolean {
  const pull = context.payload.pull_request as { head?: { repo?: { full_name?: string } | null } } | undefined;
  const head = pull?.head?.repo?.full_name;
  return head !== undefined && head !== `${context.owner}/${context.repo}`;
}

async function comment(inputs: Inputs, context: ActionContext, number: number, body: string): Promise<void> {
  if (!inputs['github-token'])
    throw new Error('input github-token: required to comment on the pull request (pass ${{ github.token }})');
  const github = new GitHubRepo(inputs['github-token'], context.owner, context.repo, context.apiUrl);
  const result = await github.upsertComment(number, COMMENT_MARKER, body, inputs['comment-author']);
  core.setOutput('comment-url', result.url);
  core.info(
    `${result.action === 'created' ? 'commented on' : 'updated the comment on'} pull request #${number}: ${result.url}`,
  );
}

interface WorkflowRun {
  readonly id?: number;
  readonly head_sha?: string;
  readonly head_branch?: string;
  readonly head_repository?: { readonly full_name?: string } | null;
  readonly pull_requests?: readonly { readonly number?: number; readonly head?: { readonly sha?: string } }[];
}

/**
 * The pull request a `workflow_run` event is about, from the event alone: its `pull_requests`, or (for a fork's,
 * which GitHub leaves out there) the open pull request whose head is the run's branch and commit. Never from the
 * artifact, which the pull request's own code wrote.
 */
async function pullRequestOfRun(run: WorkflowRun, github: GitHubRepo): Promise<number> {
  const listed = run.pull_requests?.find((p) => p.head?.sha === run.head_sha && typeof p.number === 'number');
  if (listed) return listed.number!;
  const [headOwner] = (run.head_repository?.full_name ?? '').split('/');
  if (!headOwner || !run.head_branch || !run.head_sha)
    throw new Error('the workflow_run event names no pull request, head repository or branch to find one by');
  const open = (await github.openPullRequestsFrom(headOwner, run.head_branch)).filter(
    (p) => p.headSha === run.head_sha,
  );
  if (open.length !== 1)
    throw new Error(
      `found ${open.length} open pull requests with head ${headOwner}:${run.head_branch} at ${run.head_sha.slice(0, 7)}; not commenting`,
    );
  return open[0]!.number;
}

/** The run that wrote a report directory, as its (untrusted) `run.json` says; {} when absent or unreadable. */
function readRunFile(reportDir: string): { runId?: unknown } {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(reportDir, RUN_FILE), 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

/** Post the report a `run` of a fork's pull request left (the `workflow_run` follow-up), as untrusted text. */
async function postSaved(inputs: Inputs, context: ActionContext, reportDir: string): Promise<void> {
  const run = context.payload.workflow_run as WorkflowRun | undefined;
  if (context.eventName !== 'workflow_run' || !run)
    throw new Error('mode: comment runs in a workflow_run job (on: workflow_run), which names the pull request');
  if (!inputs['github-token'])
    throw new Error('input github-token: required to comment on the pull request (pass ${{ github.token }})');
  const summary = join(reportDir, 'summary.md');
  if (!existsSync(summary))
    throw new Error(
      `input report-dir: ${reportDir} has no summary.md; download the report artifact of the regression run first`,
    );
  const origin = readRunFile(reportDir);
  if (String(origin.runId) !== String(run.id)) {
    throw new Error(
      `input report-dir: the report comes from run ${plainText(origin.runId) || 'unknown'}, not from the run this event is about (${String(run.id)}); download the artifact with run-id: \${{ github.event.workflow_run.id }}`,
    );
  }
  const github = new GitHubRepo(inputs['github-token'], context.owner, context.repo, context.apiUrl);
  const number = await pullRequestOfRun(run, github);
  if (inputs['pr-number'] !== undefined && Number(inputs['pr-number']) !== number) {
    throw new Error(
      `input pr-number: ${inputs['pr-number']} is not the pull request of this run (#${number}); leave it out`,
    );
  }
  const text = readFileSync(summary, 'utf8').replaceAll(COMMENT_MARKER, '');
  await comment(inputs, context, number, `${COMMENT_MARKER}\n${untrustedMarkdown(text)}`);
}

export async function run(): Promise<void> {
  const inputs = parseInputs();
  const context = readContext();
  const reportDir = resolve(context.workspace, inputs['report-dir']);
  core.setOutput('report-dir', reportDir);
  if (inputs.mode === 'comment') return postSaved(inputs, context, reportDir);

  const cases = await loadCases(resolve(context.workspace, inputs.cases));
  let hyp3 = undefined;
  if (inputs.hyp3) {
    if (!inputs['hyp3-token'])
      throw new Error('input hyp3-token: required with hyp3 (an Earthdata Login token, from a secret)');
    core.setSecret(inputs['hyp3-token']);
    // Only the input counts here: the runner's environment is not searched for credentials.
    const client = hyp3Session({ deployment: inputs.hyp3, token: inputs['hyp3-token'] });
    hyp3 = await hyp3Candidates(
      cases.filter((c) => c.reference && !c.candidate),
      client,
      { directory: join(reportDir, 'candidates'), onEvent: (m) => core.info(m) },
    );
  }
  const report = await runRegression({
    cases,
    reportDir,
    candidatesDir: inputs.candidates ? resolve(context.workspace, inputs.candidates) : undefined,
    hyp3,
    cacheDir: regressionCacheDir(process.env),
    jobs: Number(inputs.jobs),
    force: false,
    strictPhase: inputs['fail-on'] === 'ambiguity',
    defaultProfile: inputs.profile ? resolve(context.workspace, inputs.profile) : undefined,
    tool: { name: 'gunw-regression-action', version: process.env.GITHUB_ACTION_REF ?? 'local' },
    onEvent: (m) => core.info(m),
  });
  writeRegressionReports(reportDir, report);
  ownedFiles(reportDir, 'input report-dir').writeFile(
    RUN_FILE,
    `${JSON.stringify({ runId: context.runId || null, sha: context.sha })}\n`,
    REGRESSION_WORKSPACE,
  );
  const markdown = readFileSync(join(reportDir, 'summary.md'), 'utf8');
  core.setOutput('verdict', report.verdict);
  core.setOutput('summary-file', join(reportDir, 'summary.md'));
  await writeSummary((summary) => summary.addRaw(markdown));

  const number = pullRequestNumber(context);
  if (number !== null && inputs.comment !== 'never') {
    if (isFork(context) && inputs.comment === 'auto') {
      core.notice(
        `pull request #${number} comes from a fork, whose token cannot comment: the report is in ${inputs['report-dir']} for a workflow_run job (mode: comment)`,
      );
    } else await comment(inputs, context, number, markdown);
  }
  const { counts } = report;
  const line = `${counts.pass} passed, ${counts.fail} failed, ${counts.error} errors, ${counts.skipped} skipped`;
  if (report.verdict === 'fail')
    throw new Error(`GUNW regression: ${line}; see the job summary or ${inputs['report-dir']}/index.html`);
  if (report.verdict === 'none')
    core.warning(
      `GUNW regression: nothing compared (${line}): not a pass; see the job summary for why each case was skipped`,
    );
  core.info(`GUNW regression: ${line}`);
}
