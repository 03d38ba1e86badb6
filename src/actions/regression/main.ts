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
import {
  isForkPullRequest,
  pullRequestOfRun,
  RUN_FILE,
  savedReportProblem,
  type WorkflowRun,
} from '../../regression/pull-request.js';
import { untrustedMarkdown } from '../../regression/untrusted.js';

/**
 * The regression check of a pull request: run the cases (candidates from a directory or made on HyP3), write the
 * reports, put the summary in the job summary and in one pull request comment that later runs update. A pull
 * request from a fork gets no comment from this job (its token cannot write): a `workflow_run` job runs this action
 * with `mode: comment` to post the report, taking the pull request from its event and the report as untrusted text.
 */

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
  const problem = savedReportProblem(reportDir, run.id);
  if (problem) throw new Error(`input report-dir: ${problem}`);
  const github = new GitHubRepo(inputs['github-token'], context.owner, context.repo, context.apiUrl);
  const number = await pullRequestOfRun(run, (owner, branch) => github.openPullRequestsFrom(owner, branch));
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
    if (
      isForkPullRequest(
        context.payload.pull_request as Parameters<typeof isForkPullRequest>[0],
        `${context.owner}/${context.repo}`,
      ) &&
      inputs.comment === 'auto'
    ) {
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
