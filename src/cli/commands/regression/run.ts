import { existsSync, readFileSync, statSync } from 'node:fs';
import { printable } from '../../../text.js';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { compareProductFiles, loadProfileFile } from '../../../compare/files.js';
import { headlineFailure } from '../../../compare/verdict.js';
import { ExitError, UsageError } from '../../../errors.js';
import { checkOutputDirectory } from '../../../io/output-dir.js';
import type { Hyp3Client } from '../../../io/hyp3.js';
import { loadCases } from '../../../regression/case.js';
import { hyp3Candidates } from '../../../regression/hyp3-candidates.js';
import { hyp3Session, regressionCacheDir } from '../../../regression/hyp3-session.js';
import { runRegression, summarise, verdictTitle, type RegressionReport } from '../../../regression/run.js';
import { writeRegressionReports } from '../../../regression/summary.js';
import { readUserNetrc } from '../../../io/netrc.js';
import type { CliIo } from '../../io.js';
import { EXIT } from '../../exit-codes.js';
import { toolIdentity } from '../../version.js';
import { reportWithDirectory } from '../../../report/report-dir.js';

export interface RunCommandOptions {
  readonly cases: string;
  readonly reportDir: string;
  readonly candidates?: string;
  readonly hyp3Url?: string;
  readonly hyp3?: 'production' | 'test' | 'edc';
  readonly hyp3Token?: string;
  readonly maxRetryWait?: string;
  readonly pollInterval: string;
  readonly timeout: string;
  readonly jobs: string;
  readonly force: boolean;
  readonly strictPhase: boolean;
}

function positive(value: string, flag: string): number {
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`${flag} ${JSON.stringify(value)}: expected a positive number`);
  return n;
}

/** How long a HyP3 request may wait on a server's Retry-After, from `--max-retry-wait <seconds>`. */
export function maxRetryWait(value: string | undefined): number | undefined {
  return value === undefined ? undefined : positive(value, '--max-retry-wait') * 1000;
}

/** The HyP3 session of a command: flags first, then the environment and ~/.netrc (see regression/hyp3-session.ts). */
export function hyp3Client(
  deployment: string,
  token: string | undefined,
  env: NodeJS.ProcessEnv,
  io: CliIo,
  maxRetryWaitMs?: number,
): Hyp3Client {
  return hyp3Session({
    deployment,
    token,
    env,
    netrc: readUserNetrc(env),
    maxRetryWaitMs,
    onNotice: (message) => io.stderr(`${message}\n`),
  });
}

function finish(report: RegressionReport, dir: string, io: CliIo): void {
  writeRegressionReports(dir, report);
  const { counts } = report;
  io.stdout(
    `GUNW regression: ${verdictTitle(report.verdict)} (${counts.pass} passed, ${counts.fail} failed, ${counts.error} errors, ${counts.skipped} skipped)\n`,
  );
  for (const c of report.cases)
    io.stdout(`  ${c.verdict.toUpperCase().padEnd(7)} ${c.name}${c.reason ? `: ${c.reason}` : ''}\n`);
  io.stderr(`reports in ${dir}: summary.md, report.json, junit.xml, index.html\n`);
  if (report.verdict === 'none')
    io.stderr('warning: no case was compared (every case was skipped): this is not a pass; see the reasons above\n');
  if (report.verdict === 'fail') throw new ExitError(EXIT.failed);
}

export async function runRegressionCommand(
  options: RunCommandOptions,
  io: CliIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const absolute = (p: string): string => (isAbsolute(p) ? p : resolve(io.cwd, p));
  // Every argument is checked before anything is printed or written.
  const jobs = Math.floor(positive(options.jobs, '--jobs'));
  const pollIntervalMs = positive(options.pollInterval, '--poll-interval') * 1000;
  const timeoutMs = positive(options.timeout, '--timeout') * 3600_000;
  const retryWait = maxRetryWait(options.maxRetryWait);
  const reportDir = absolute(options.reportDir);
  checkOutputDirectory(reportDir, '--report-dir');
  const cases = await loadCases(absolute(options.cases));
  const candidatesDir = options.candidates ? absolute(options.candidates) : undefined;
  if (candidatesDir && !existsSync(candidatesDir))
    throw new UsageError(`--candidates ${printable(options.candidates!)}: no such directory`);
  if (candidatesDir && !statSync(candidatesDir).isDirectory())
    throw new UsageError(
      `--candidates ${printable(options.candidates!)}: is a file; give the directory of the candidate products`,
    );
  const hyp3Url = options.hyp3Url ?? options.hyp3;
  let hyp3 = undefined;
  if (hyp3Url) {
    const client = hyp3Client(hyp3Url, options.hyp3Token, env, io, retryWait);
    const wanted = cases.filter((c) => c.reference && !c.candidate);
    io.stderr(`HyP3 ${hyp3Url}: ${wanted.length} case(s) to run\n`);
    hyp3 = await hyp3Candidates(wanted, client, {
      directory: join(reportDir, 'candidates'),
      pollIntervalMs,
      timeoutMs,
      onEvent: (message) => io.stderr(`${message}\n`),
    });
  }
  const report = await runRegression({
    cases,
    reportDir,
    candidatesDir,
    hyp3,
    cacheDir: regressionCacheDir(env),
    jobs,
    force: options.force,
    strictPhase: options.strictPhase,
    tool: await toolIdentity(),
    onEvent: (message) => io.stderr(`${message}\n`),
  });
  finish(report, reportDir, io);
}

export interface CompareCommandOptions {
  readonly reportDir: string;
  readonly profile?: string;
  readonly strictPhase: boolean;
}

export async function compareCommand(
  reference: string,
  candidate: string,
  options: CompareCommandOptions,
  io: CliIo,
): Promise<void> {
  const absolute = (p: string): string => (isAbsolute(p) ? p : resolve(io.cwd, p));
  for (const [label, path] of [
    ['reference', reference],
    ['candidate', candidate],
  ] as const) {
    if (!existsSync(absolute(path))) throw new UsageError(`${label} ${path}: no such file`);
  }
  const reportDir = absolute(options.reportDir);
  const { profile, name } = await loadProfileFile(
    options.profile ? absolute(options.profile) : undefined,
    options.profile ? `--profile ${options.profile}` : undefined,
  );
  const started = performance.now();
  const caseName = basename(candidate).replace(/\.nc$/, '');
  const result = await compareProductFiles(absolute(reference), absolute(candidate), {
    profile,
    profileName: name,
    strictPhase: options.strictPhase,
    checkStorage: false,
    previews: true,
    tool: await toolIdentity(),
  });
  const report = reportWithDirectory(result, join(reportDir, 'cases', caseName));
  const seconds = (performance.now() - started) / 1000;
  finish(
    {
      schemaVersion: 1,
      tool: await toolIdentity(),
      verdict: report.verdict,
      counts: {
        pass: report.verdict === 'pass' ? 1 : 0,
        fail: report.verdict === 'fail' ? 1 : 0,
        error: 0,
        skipped: 0,
      },
      cases: [
        {
          name: caseName,
          verdict: report.verdict,
          reason: report.verdict === 'fail' ? (headlineFailure(report) ?? 'regression') : null,
          tags: [],
          reference: absolute(reference),
          candidate: absolute(candidate),
          reportDir: join('cases', caseName),
          summary: summarise(report),
          seconds,
          reused: false,
        },
      ],
      elapsedSeconds: seconds,
    },
    reportDir,
    io,
  );
}

export function commentCommand(dir: string, io: CliIo): void {
  const path = resolve(io.cwd, dir, 'summary.md');
  if (!existsSync(path))
    throw new UsageError(
      `${dir}: no summary.md there; give a report directory written by gunw regression run or compare`,
    );
  io.stdout(readFileSync(path, 'utf8'));
}
