import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeSamplePair, type WrittenSample } from '../../src/sample/write.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Worker threads run the built worker script, so this test drives the built library (`npm test` builds first),
 * as the CLI does: the same comparison inline and on a pool whose main thread also takes tasks.
 */
const LIB = join(import.meta.dirname, '../../lib');

let regressed: WrittenSample;

beforeAll(async () => {
  regressed = await writeSamplePair(join(tempDir(), 'regressed'), 'regressed');
});

describe('the worker pool', () => {
  it('gives the same report with workers plus this thread as with this thread alone, and counts this thread', async () => {
    const { diffProducts } = await import(join(LIB, 'compare/engine.js'));
    const { poolExecutor } = await import(join(LIB, 'compare/executor/pool.js'));
    const { inlineExecutor } = await import(join(LIB, 'compare/executor/inline.js'));
    const { H5wasmProductReader } = await import(join(LIB, 'netcdf/h5wasm/reader.js'));
    const { resolveProfile } = await import(join(LIB, 'compare/profile.js'));
    const run = async (executor: unknown): Promise<Record<string, unknown>> => {
      const reference = await H5wasmProductReader.open(regressed.reference);
      const candidate = await H5wasmProductReader.open(regressed.candidate);
      try {
        const result = await diffProducts(reference, candidate, {
          profile: resolveProfile(null),
          profileName: 'gunw-default',
          strictPhase: false,
          checkStorage: false,
          previews: true,
          executors: () => ({ portable: executor, local: inlineExecutor }),
          tool: { name: 'gunw', version: 'test' },
        });
        return { ...result.report, elapsedSeconds: 0, previews: [...result.previews.keys()] };
      } finally {
        reference.close();
        candidate.close();
      }
    };
    const pool = poolExecutor(1, true);
    expect(pool.size).toBe(2);
    const pooled = await run(pool);
    pool.close();
    const inline = await run(inlineExecutor);
    expect(pooled).toEqual(inline);
    expect(pooled.verdict).toBe('fail');
  });
});
