import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isNumericDType, walkVariables } from '../../src/netcdf/model.js';
import { openProduct } from '../../src/netcdf/open.js';
import { expectSameRegionAsHdf5 } from '../helpers/regions.js';
import { tempDir } from '../helpers/tmp.js';
import { hasPythonModules, PYTHON } from '../helpers/tools.js';

/**
 * The chunk locator finds a dataset's stored bytes itself; HDF5 (h5wasm) reads everything else. On files that use
 * every way HDF5 stores data (netCDF-C, h5py's oldest and newest formats), every numeric variable must read exactly
 * as HDF5 reads it, whichever way it is read, and each is read directly only where the locator handles the storage.
 */
const dir = tempDir();
const canRun = hasPythonModules('h5py', 'netCDF4', 'numpy');
const at = (name: string): string => join(dir, name);

/** How each variable is expected to be read: directly (chunks, contiguous) or by HDF5, and why. */
const EXPECTED_KIND: Record<string, Record<string, string>> = {
  'netcdf-c.nc': {
    '/science/grids/data/layer00': 'chunks',
    '/science/grids/data/checked': 'chunks',
    '/science/grids/data/contiguous': 'contiguous',
    '/science/grids/data/bigEndian': 'h5wasm',
    '/science/grids/data/neverWritten': 'h5wasm',
  },
  'h5py-earliest.h5': {
    '/compact': 'h5wasm',
    '/big_i4': 'h5wasm',
    '/chunked_partial': 'h5wasm',
    '/chunked_unwritten': 'h5wasm',
  },
  'h5py-latest.h5': { '/single_chunk': 'chunks', '/fixed_array': 'h5wasm', '/contiguous': 'contiguous' },
};

beforeAll(() => {
  if (!canRun) return;
  const made = spawnSync(PYTHON, [join(import.meta.dirname, '../fixtures/make_hdf5_variety.py'), dir], {
    encoding: 'utf8',
  });
  expect(made.status, made.stderr).toBe(0);
}, 120_000);

describe.skipIf(!canRun)('the chunk locator against HDF5', () => {
  it.each(Object.keys(EXPECTED_KIND))('reads every numeric variable of %s exactly as HDF5 does', async (name) => {
    const reader = await openProduct(at(name));
    try {
      for (const variable of walkVariables(reader.root)) {
        if (!isNumericDType(variable.dtype) || variable.shape.length === 0 || variable.shape.includes(0)) continue;
        const descriptor = reader.sourceFor(variable.path);
        const expected = EXPECTED_KIND[name]![variable.path];
        if (expected) expect(descriptor.kind, variable.path).toBe(expected);
        const start = variable.shape.map((size) => Math.min(1, size - 1));
        await expectSameRegionAsHdf5(
          { ...descriptor, file: at(name) },
          start,
          variable.shape.map((size, d) => size - start[d]!),
        );
      }
    } finally {
      reader.close();
    }
  });
});
