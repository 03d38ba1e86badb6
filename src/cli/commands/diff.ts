import { existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { diffProducts } from '../../compare/engine.js';
import { inlineExecutor } from '../../compare/executor/inline.js';
import { poolExecutor, workerScriptAvailable, type WorkerPool } from '../../compare/executor/pool.js';
import type { Executor } from '../../compare/executor/types.js';
import { resolveProfile } from '../../compare/profile.js';
import { ExitError, UsageError } from '../../errors.js';
import { H5wasmProductReader } from '../../netcdf/h5wasm/reader.js';
import type { ProductReader } from '../../netcdf/reader.js';
import { formatReport, REPORT_FORMATS, type ReportFormat } from '../../report/formats.js';
import { writeReportDirectory } from '../../report/report-dir.js';
import type { CliIo } from '../io.js';
import { EXIT } from '../main.js';
import { progressReporter } from '../progress.js';
import { toolIdentity } from '../version.js';

/** Below this much data (both products, uncompressed) starting worker threads costs more than it saves. */
const INLINE_BELOW_BYTES = 48 * 1024 * 1024;

export interface DiffCommandOptions {
  readonly format: ReportFormat;
  readonly reportDir?: string;
  readonly profile?: string;
  readonly strictPhase: boolean;
  readonly checkStorage: boolean;
  readonly workers?: number;
  readonly progress: boolean;
}

function parseWorkers(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 64) throw new InvalidArgumentError('expected a whole number from 0 (no worker threads) to 64');
  return n;
}

/**
 * Worker threads pay off for big products only. Decided before the products are opened (from their file sizes, a
 * cheap proxy) so the threads boot while the main thread reads the structure; the engine's own measure of the work
 * can still fall back to one thread.
 */
function startPool(workers: number | undefined, files: readonly string[]): WorkerPool | null {
  if (workers === 0 || !workerScriptAvailable()) return null;
  if (workers === undefined) {
    const stored = files.reduce((n, f) => n + (existsSync(f) ? statSync(f).size : 0), 0);
    if (stored < INLINE_BELOW_BYTES / 2) return null;
  }
  return poolExecutor(workers ?? Math.min(availableParallelism(), 8));
}

function chooseExecutors(pool: WorkerPool | null, workers: number | undefined): (work: { bytes: number; inMemory: boolean }) => { portable: Executor; local: Executor } {
  return ({ bytes, inMemory }) => {
    if (!pool || inMemory || (workers === undefined && bytes < INLINE_BELOW_BYTES)) return { portable: inlineExecutor, local: inlineExecutor };
    return { portable: pool, local: inlineExecutor };
  };
}

async function loadProfile(path: string | undefined, cwd: string): Promise<{ profile: ReturnType<typeof resolveProfile>; name: string }> {
  if (!path) return { profile: resolveProfile(null), name: 'gunw-default' };
  const file = isAbsolute(path) ? path : resolve(cwd, path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`--profile ${path}: cannot read the file (check the path)`);
  }
  const { parseProfile } = await import('../../compare/profile-file.js');
  const parsed = parseProfile(text, path);
  return { profile: resolveProfile(parsed), name: parsed.name ?? path };
}

/** Compare two products and print or write the report; returns the exit code. */
export async function runDiff(referencePath: string, candidatePath: string, options: DiffCommandOptions, io: CliIo): Promise<number> {
  const { profile, name } = await loadProfile(options.profile, io.cwd);
  const readers: ProductReader[] = [];
  const progress = progressReporter(io, 'gunw diff');
  const absolute = (p: string): string => (isAbsolute(p) ? p : resolve(io.cwd, p));
  const pool = startPool(options.workers, [absolute(referencePath), absolute(candidatePath)]);
  try {
    readers.push(await H5wasmProductReader.open(absolute(referencePath)));
    readers.push(await H5wasmProductReader.open(absolute(candidatePath)));
    const result = await diffProducts(readers[0]!, readers[1]!, {
      profile,
      profileName: name,
      strictPhase: options.strictPhase,
      checkStorage: options.checkStorage,
      previews: options.reportDir !== undefined,
      executors: chooseExecutors(pool, options.workers),
      tool: toolIdentity(),
      onProgress: options.progress ? (done, total) => progress.update(done, total) : undefined,
    });
    progress.finish();
    const report = options.reportDir ? writeReportDirectory(absolute(options.reportDir), result) : result.report;
    io.stdout(formatReport(report, options.format));
    if (options.reportDir) io.stderr(`report written to ${options.reportDir}/index.html\n`);
    return report.verdict === 'pass' ? EXIT.ok : EXIT.failed;
  } finally {
    progress.finish();
    pool?.close();
    for (const reader of readers) reader.close();
  }
}

export function diffCommand(io: CliIo): Command {
  return new Command('diff')
    .description('Compare a candidate GUNW product with a reference: structure, every layer\'s values, attributes and provenance.')
    .argument('<reference>', 'reference product (netCDF4/HDF5), e.g. the last released output')
    .argument('<candidate>', 'candidate product made by the code under test')
    .addOption(new Option('-f, --format <format>', 'report printed on stdout').choices(REPORT_FORMATS).default('text'))
    .option('-r, --report-dir <dir>', 'also write report.{json,md,txt}, junit.xml, index.html and a PNG difference map per failing layer')
    .option('-p, --profile <file>', 'tolerance profile (YAML or JSON) layered over the built-in GUNW profile; see `gunw profile show`')
    .option('--strict-phase', 'count 2π unwrapping ambiguities of whole connected components as failures', false)
    .option('--check-storage', 'also report chunking, compression and attribute storage-type differences as failures', false)
    .option('-w, --workers <n>', 'worker threads (default: one per core for large products; 0 = compare in this thread)', parseWorkers)
    .option('--no-progress', 'never draw the progress line (it is only drawn when stderr is a terminal)')
    .addHelpText(
      'after',
      `
Exit status: 0 when the candidate matches within tolerance, 1 when a regression is found, 2 on bad input
(missing or unreadable file, bad profile, grids that do not overlap).

Examples:
  gunw diff golden.nc new.nc
  gunw diff golden.nc new.nc --format markdown >> "$GITHUB_STEP_SUMMARY"
  gunw diff golden.nc new.nc --report-dir diff-report --profile regression/profiles/rerun.yml`,
    )
    .action(async (reference: string, candidate: string, options: DiffCommandOptions) => {
      const code = await runDiff(reference, candidate, options, io);
      if (code !== EXIT.ok) throw new ExitError(code);
    });
}
