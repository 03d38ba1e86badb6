import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { inlineExecutor, runTasksHere } from '../../src/compare/executor/inline.js';
import type { Executor } from '../../src/compare/executor/types.js';
import { H5wasmProductReader } from '../../src/netcdf/h5wasm/reader.js';
import { writeNetcdf } from '../../src/netcdf/h5wasm/writer.js';
import type { GroupSpec } from '../../src/netcdf/spec.js';
import { diffReaders } from '../helpers/diff.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const pair = { reference: join(dir, 'reference.nc'), candidate: join(dir, 'candidate.nc') };

/**
 * A 2048 × 4096 layer in two 2048 × 2048 chunks, so two tasks, whose candidate differs from a zero reference by
 * 2^40 in its west half and by 2^-10 in its east: added after the big differences, the small ones are below the
 * sum's last digit and vanish; added first, they count. Whatever the order, the report must be the same.
 */
function product(noise: number): GroupSpec {
  const [n, m] = [2048, 4096];
  const values = Float32Array.from({ length: n * m }, (_, i) => noise * (i % m < n ? 2 ** 40 : 2 ** -10));
  return {
    dimensions: { lat: n, lon: m },
    variables: [
      {
        name: 'lat',
        dtype: 'f8',
        dimensions: ['lat'],
        data: Float64Array.from({ length: n }, (_, i) => 40 - i / 1000),
      },
      {
        name: 'lon',
        dtype: 'f8',
        dimensions: ['lon'],
        data: Float64Array.from({ length: m }, (_, i) => -120 + i / 1000),
      },
      {
        name: 'height',
        dtype: 'f4',
        dimensions: ['lat', 'lon'],
        data: values,
        chunks: [2048, 2048],
        deflate: 1,
        shuffle: true,
      },
    ],
  };
}

beforeAll(async () => {
  await writeNetcdf(pair.reference, product(0));
  await writeNetcdf(pair.candidate, product(1));
});

let reversedTasks = 0;
/** Runs the tasks last first: which thread takes which task, and when, depends on timing in a real pool. */
const lastFirst: Executor = {
  run(layers, tasks, onOutcome) {
    let i = tasks.length;
    reversedTasks += tasks.length;
    return runTasksHere(layers, () => (i > 0 ? tasks[--i] : undefined), onOutcome);
  },
};

async function report(executor: Executor): Promise<Record<string, unknown>> {
  const reference = await H5wasmProductReader.open(pair.reference);
  const candidate = await H5wasmProductReader.open(pair.candidate);
  try {
    return { ...(await diffReaders(reference, candidate, { executor })).report, elapsedSeconds: 0 };
  } finally {
    reference.close();
    candidate.close();
  }
}

describe('the order tasks are compared in', () => {
  it('changes no statistic of the report, to the last digit', async () => {
    const inOrder = await report(inlineExecutor);
    const reversed = await report(lastFirst);
    expect(reversedTasks).toBeGreaterThan(1);
    expect(reversed).toEqual(inOrder);
    const height = (inOrder.layers as { path: string; rmse: number }[]).find((l) => l.path === '/height')!;
    expect(height.rmse).toBeGreaterThan(1);
  });
});
