import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { H5wasmProductReader } from '../../src/netcdf/h5wasm/reader.js';
import { writeNetcdf } from '../../src/netcdf/h5wasm/writer.js';
import type { SourceDescriptor } from '../../src/netcdf/reader.js';
import { walkGroups } from '../../src/netcdf/model.js';
import { samplePair } from '../../src/sample/pair.js';
import { DATA } from '../helpers/diff.js';
import { expectSameRegionAsHdf5 } from '../helpers/regions.js';
import { tempDir } from '../helpers/tmp.js';
import { hasPythonModules, PYTHON } from '../helpers/tools.js';

const dir = tempDir();

/** Our chunk/contiguous reader must read a region exactly as HDF5 does. */
async function expectSameAsHdf5(descriptor: SourceDescriptor, start: number[], count: number[]): Promise<void> {
  if (descriptor.kind !== 'chunks' && descriptor.kind !== 'contiguous')
    throw new Error(`expected a direct reader, got ${descriptor.kind}`);
  await expectSameRegionAsHdf5(descriptor, start, count);
}

describe('reading chunks without HDF5, checked against HDF5', () => {
  const written = join(dir, 'h5wasm-written.nc');
  beforeAll(async () => {
    await writeNetcdf(written, samplePair({}, { rows: 61, cols: 73 }).reference);
  });

  it('reads regions inside one chunk, across chunks and at the ragged edge (deflate)', async () => {
    const reader = await H5wasmProductReader.open(written);
    try {
      const phase = reader.sourceFor(`${DATA}/unwrappedPhase`);
      expect(phase.kind).toBe('chunks');
      await expectSameAsHdf5(phase, [0, 0], [31, 37]);
      await expectSameAsHdf5(phase, [5, 9], [40, 50]);
      await expectSameAsHdf5(phase, [31, 37], [30, 36]);
      const cube = reader.sourceFor('/science/grids/imagingGeometry/incidenceAngle');
      await expectSameAsHdf5(cube, [1, 2, 1], [2, 3, 4]);
    } finally {
      reader.close();
    }
  });

  const netcdfC = join(dir, 'netcdf-c-written.nc');
  const python = hasPythonModules('numpy', 'netCDF4', 'h5py');
  describe.skipIf(!python)(
    'on a product written by netCDF-C and h5py (needs Debian python3-netcdf4, python3-h5py)',
    () => {
      beforeAll(() => {
        const made = spawnSync(PYTHON, [join(import.meta.dirname, '../fixtures/make_netcdf_c_product.py'), netcdfC], {
          encoding: 'utf8',
        });
        expect(made.stderr).toBe('');
        expect(made.status).toBe(0);
      });

      it('unshuffles 4- and 2-byte elements exactly', async () => {
        const reader = await H5wasmProductReader.open(netcdfC);
        try {
          const phase = reader.sourceFor(`${DATA}/unwrappedPhase`);
          expect(phase).toMatchObject({ kind: 'chunks', filters: [2, 1] });
          await expectSameAsHdf5(phase, [0, 0], [32, 40]);
          await expectSameAsHdf5(phase, [0, 0], [90, 110]);
          await expectSameAsHdf5(phase, [3, 1], [31, 39]);
          const labels = reader.sourceFor(`${DATA}/connectedComponents`);
          await expectSameAsHdf5(labels, [0, 0], [45, 55]);
          await expectSameAsHdf5(labels, [40, 50], [50, 60]);
        } finally {
          reader.close();
        }
      });

      it('reads contiguous storage directly and leaves big-endian data and scalars to HDF5', async () => {
        const reader = await H5wasmProductReader.open(netcdfC);
        try {
          const amplitude = reader.sourceFor(`${DATA}/amplitude`);
          expect(amplitude.kind).toBe('contiguous');
          await expectSameAsHdf5(amplitude, [0, 0], [90, 110]);
          await expectSameAsHdf5(amplitude, [7, 0], [3, 110]);
          await expectSameAsHdf5(amplitude, [7, 5], [3, 20]);
          expect(reader.sourceFor(`${DATA}/coherence`).kind).toBe('h5wasm');
          expect(reader.sourceFor('/meta/wavelength').kind).toBe('h5wasm');
          expect(reader.readText('/meta/L1InputGranules')).toEqual(['S1A_first.zip', 'S1A_last.zip']);
        } finally {
          reader.close();
        }
      });

      it('decodes boolean enums as booleans, other enums by member name, and arrays as arrays', async () => {
        const reader = await H5wasmProductReader.open(netcdfC);
        try {
          const grids = [...walkGroups(reader.root)].find((g) => g.path === '/science/grids')!;
          const byName = Object.fromEntries(grids.attributes.map((a) => [a.name, [a.dtype, a.value]]));
          expect(byName).toEqual({
            estimate_ionosphere_delay: ['enum', true],
            unfiltered_coherence: ['enum', [true, false]],
            reference_scenes: ['string', ['S1A_a', 'S1A_b']],
            multilook: ['i8', [7, 19]],
            colour: ['enum', 'BLUE'],
          });
        } finally {
          reader.close();
        }
      });
    },
  );
});
