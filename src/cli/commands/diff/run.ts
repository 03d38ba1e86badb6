import { existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { diffProducts } from '../../../compare/engine.js';
import { inlineExecutor } from '../../../compare/executor/inline.js';
import { poolExecutor, workerScriptAvailable, type WorkerPool } from '../../../compare/executor/pool.js';
import type { Executor } from '../../../compare/executor/types.js';
import { resolveProfile } from '../../../compare/profile.js';
import { UsageError } from '../../../errors.js';
import { H5wasmProductReader } from '../../../netcdf/h5wasm/reader.js';
import type { ProductReader } from '../../../netcdf/reader.js';
import { formatReport, type ReportFormat } from '../../../report/formats.js';
import { writeReportDirectory } from '../../../report/report-dir.js';
import type { CliIo } from '../../io.js';
import { EXIT } from '../../main.js';
import { progressReporter } from '../../progress.js';
import { toolIdentity } from '../../version.js';

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
  const { parseProfile } = await import('../../../compare/profile-file.js');
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
