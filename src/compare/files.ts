import { existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { UsageError } from '../errors.js';
import { openProduct } from '../netcdf/open.js';
import type { ProductReader } from '../netcdf/reader.js';
import { diffProducts, type DiffResult } from './engine.js';
import { inlineExecutor } from './executor/inline.js';
import { poolExecutor, workerScriptAvailable, type WorkerPool } from './executor/pool.js';
import type { Executor } from './executor/types.js';
import { resolveProfile, type Profile, type ProfileFile } from './profile.js';

/**
 * Comparing two GUNW files end to end: open both, choose the executors (worker threads only where they pay off),
 * run the engine, and write the report directory when asked. Shared by `gunw diff` and the regression runner.
 */

/** Below this much data (both products, uncompressed) starting worker threads costs more than it saves. */
const INLINE_BELOW_BYTES = 48 * 1024 * 1024;

export interface CompareFilesOptions {
  readonly profile: Profile;
  readonly profileName: string;
  readonly strictPhase: boolean;
  readonly checkStorage: boolean;
  /** Keep the difference-map previews (for a report directory, which the caller writes). */
  readonly previews?: boolean;
  /** Worker threads; 0 compares in this thread; undefined decides from the products' sizes. */
  readonly workers?: number;
  /**
   * The tool named in the report; a promise is awaited only once both products are open, so a version that costs
   * a few git commands to find is found while HDF5 starts.
   */
  readonly tool:
    | { readonly name: string; readonly version: string }
    | PromiseLike<{ readonly name: string; readonly version: string }>;
  readonly onProgress?: (done: number, total: number) => void;
  /** Follow external links to files beside a product (others are refused in any case). */
  readonly followExternalLinks?: boolean;
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
  if (workers !== undefined) return poolExecutor(workers);
  // One thread per core, this one included: it would otherwise sit waiting for the workers.
  const threads = Math.min(availableParallelism(), 8);
  return threads < 2 ? null : poolExecutor(threads - 1, true);
}

function chooseExecutors(
  pool: WorkerPool | null,
  workers: number | undefined,
): (work: { bytes: number; inMemory: boolean }) => { portable: Executor; local: Executor } {
  return ({ bytes, inMemory }) => {
    if (!pool || inMemory || (workers === undefined && bytes < INLINE_BELOW_BYTES))
      return { portable: inlineExecutor, local: inlineExecutor };
    return { portable: pool, local: inlineExecutor };
  };
}

export async function compareProductFiles(
  referencePath: string,
  candidatePath: string,
  options: CompareFilesOptions,
): Promise<DiffResult> {
  const readers: ProductReader[] = [];
  const pool = startPool(options.workers, [referencePath, candidatePath]);
  try {
    const open = { followExternalLinks: options.followExternalLinks === true };
    readers.push(await openProduct(referencePath, open));
    readers.push(await openProduct(candidatePath, open));
    const result = await diffProducts(readers[0]!, readers[1]!, {
      profile: options.profile,
      profileName: options.profileName,
      strictPhase: options.strictPhase,
      checkStorage: options.checkStorage,
      previews: options.previews ?? false,
      executors: chooseExecutors(pool, options.workers),
      tool: await options.tool,
      onProgress: options.onProgress,
    });
    return result;
  } finally {
    pool?.close();
    for (const reader of readers) reader.close();
  }
}

/** A tolerance profile from a YAML/JSON file (or the built-in one), with a name for reports. */
export async function loadProfileFile(
  file: string | undefined,
  label = file,
): Promise<{ profile: Profile; name: string; file: ProfileFile | null }> {
  if (!file) return { profile: resolveProfile(null), name: 'gunw-default', file: null };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`${label}: cannot read the tolerance profile (check the path)`);
  }
  const { parseProfile } = await import('./profile-file.js');
  const parsed = parseProfile(text, label ?? file);
  return { profile: resolveProfile(parsed), name: parsed.name ?? label ?? file, file: parsed };
}
