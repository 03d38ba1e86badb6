import { isAbsolute, resolve } from 'node:path';
import type { DiffResult } from '../../../compare/engine.js';
import { compareProductFiles, loadProfileFile } from '../../../compare/files.js';
import type { DiffReport } from '../../../compare/report-schema.js';
import { formatReport, type ReportFormat } from '../../../report/render.js';
import type { CliIo } from '../../io.js';
import { EXIT } from '../../exit-codes.js';
import { progressReporter } from '../../progress.js';
import { toolIdentity } from '../../version.js';

export interface DiffCommandOptions {
  readonly format: ReportFormat;
  readonly reportDir?: string;
  readonly overwrite?: boolean;
  readonly profile?: string;
  readonly strictPhase: boolean;
  readonly checkStorage: boolean;
  readonly workers?: number;
  readonly progress: boolean;
  readonly followExternalLinks?: boolean;
}

/** Compare two products and print or write the report; returns the exit code. */
export async function runDiff(
  referencePath: string,
  candidatePath: string,
  options: DiffCommandOptions,
  io: CliIo,
): Promise<number> {
  const absolute = (p: string): string => (isAbsolute(p) ? p : resolve(io.cwd, p));
  // Asked now, answered while the products are opened (in a checkout it takes a few git commands).
  const tool = toolIdentity();
  const reportDir = options.reportDir ? absolute(options.reportDir) : undefined;
  const overwrite = options.overwrite === true;
  // Where the report goes is checked before the comparison, which may take a while. The report directory's modules
  // (difference maps, the typeface, the ownership manifest) load only when there is one: about 0.1 s of start-up.
  let reportOf = (result: DiffResult): DiffReport => result.report;
  if (reportDir) {
    const [{ writeReportDirectory }, { checkOwnedDirectory }] = await Promise.all([
      import('../../../report/report-dir.js'),
      import('../../../io/owned-dir.js'),
    ]);
    checkOwnedDirectory(reportDir, '--report-dir', { set: 'report', overwrite });
    reportOf = (result) => writeReportDirectory(reportDir, result, { overwrite });
  }
  const { profile, name } = await loadProfileFile(
    options.profile ? absolute(options.profile) : undefined,
    options.profile ? `--profile ${options.profile}` : undefined,
  );
  const progress = progressReporter(io, 'gunw diff');
  try {
    const result = await compareProductFiles(absolute(referencePath), absolute(candidatePath), {
      profile,
      profileName: name,
      strictPhase: options.strictPhase,
      checkStorage: options.checkStorage,
      previews: options.reportDir !== undefined,
      workers: options.workers,
      followExternalLinks: options.followExternalLinks === true,
      tool,
      onProgress: options.progress ? (done, total) => progress.update(done, total) : undefined,
    });
    progress.finish();
    const report = reportOf(result);
    io.stdout(formatReport(report, options.format));
    if (options.reportDir) io.stderr(`report written to ${options.reportDir}/index.html\n`);
    return report.verdict === 'pass' ? EXIT.ok : EXIT.failed;
  } finally {
    progress.finish();
  }
}
