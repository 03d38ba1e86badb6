import { diffProducts, type DiffResult } from '../../src/compare/engine.js';
import { inlineExecutor } from '../../src/compare/executor/inline.js';
import type { Executor } from '../../src/compare/executor/types.js';
import { resolveProfile, type ProfileFile } from '../../src/compare/profile.js';
import { MemoryProductReader } from '../../src/netcdf/memory/reader.js';
import type { ProductReader } from '../../src/netcdf/reader.js';
import type { GroupSpec } from '../../src/netcdf/spec.js';

export interface DiffSettings {
  readonly profile?: ProfileFile | null;
  readonly strictPhase?: boolean;
  readonly checkStorage?: boolean;
  readonly previews?: boolean;
  /** Where the comparable tasks run (this thread, in order, by default). */
  readonly executor?: Executor;
}

/** Run the engine in this thread on two readers, with the defaults the CLI uses. */
export async function diffReaders(
  reference: ProductReader,
  candidate: ProductReader,
  settings: DiffSettings = {},
): Promise<DiffResult> {
  return diffProducts(reference, candidate, {
    profile: resolveProfile(settings.profile ?? null),
    profileName: 'test',
    strictPhase: settings.strictPhase ?? false,
    checkStorage: settings.checkStorage ?? false,
    previews: settings.previews ?? false,
    executors: () => ({ portable: settings.executor ?? inlineExecutor, local: inlineExecutor }),
    tool: { name: 'test', version: '0.0.0' },
  });
}

/** Compare two in-memory products. */
export async function diffSpecs(
  reference: GroupSpec,
  candidate: GroupSpec,
  settings: DiffSettings = {},
): Promise<DiffResult> {
  const a = new MemoryProductReader('reference.nc', reference);
  const b = new MemoryProductReader('candidate.nc', candidate);
  try {
    return await diffReaders(a, b, settings);
  } finally {
    a.close();
    b.close();
  }
}

export function layer(result: DiffResult, path: string) {
  const found = result.report.layers.find((l) => l.path === path);
  if (!found) throw new Error(`no layer ${path} in the report`);
  return found;
}

export const DATA = '/science/grids/data';
