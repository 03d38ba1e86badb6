import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDiagnostics, translateHdf5Error } from '../../src/netcdf/h5wasm/errors.js';
import type { Dataset } from 'h5wasm/node';
import { loadH5wasm } from '../../src/netcdf/h5wasm/module.js';
import { H5wasmProductReader } from '../../src/netcdf/h5wasm/reader.js';
import { writeNetcdf } from '../../src/netcdf/h5wasm/writer.js';
import { attributeOf, findVariable, walkGroups, walkVariables } from '../../src/netcdf/model.js';
import { samplePair } from '../../src/sample/pair.js';
import { DATA } from '../helpers/diff.js';
import { tempDir } from '../helpers/tmp.js';
import { hasCommand, hasPythonModules, PYTHON } from '../helpers/tools.js';

const dir = tempDir();
const file = join(dir, 'sample.nc');

beforeAll(async () => {
  await writeNetcdf(file, samplePair({}, { rows: 60, cols: 70 }).reference);
});

describe('the h5wasm product reader', () => {
  it('maps groups, netCDF dimensions, coordinate variables, dtypes, chunking and fill values', async () => {
    const reader = await H5wasmProductReader.open(file);
    try {
      const groups = [...walkGroups(reader.root)].map((g) => g.path);
      expect(groups).toContain('/science/grids/corrections/derived/ionosphere');
      const data = [...walkGroups(reader.root)].find((g) => g.path === DATA)!;
      // In the order the plugin's packaging makes them: each dimension with its coordinate variable, longitude first.
      expect(data.dimensions.map((d) => [d.name, d.size])).toEqual([
        ['longitude', 70],
        ['latitude', 60],
      ]);
      const phase = findVariable(reader.root, `${DATA}/unwrappedPhase`)!;
      expect(phase).toMatchObject({
        dtype: 'f4',
        shape: [60, 70],
        dimensions: ['latitude', 'longitude'],
        fillValue: 0,
        isCoordinate: false,
      });
      expect(phase.storage.chunks).toEqual([60, 70]);
      expect(phase.storage.filters.map((f) => f.name)).toEqual(['shuffle', 'deflate']);
      expect(findVariable(reader.root, `${DATA}/latitude`)).toMatchObject({ isCoordinate: true, dtype: 'f8' });
      expect(findVariable(reader.root, `${DATA}/connectedComponents`)!.fillValue).toBe(-1);
      // netCDF's dimension-only datasets are dimensions, not variables.
      expect(findVariable(reader.root, '/wkt_length')).toBeUndefined();
      expect(reader.root.dimensions.map((d) => d.name)).toEqual(['matchup', 'wkt_length', 'wkt_count']);
      expect(reader.readText('/productBoundingBox')[0]).toMatch(/^POLYGON\(\(-118\.9 /);
      expect(reader.readText('/science/radarMetaData/inputSLC/reference/L1InputGranules')).toHaveLength(2);
    } finally {
      reader.close();
    }
  });

  it('decodes attributes: fixed-length text, variable-length text, 64-bit integers, doubles', async () => {
    const reader = await H5wasmProductReader.open(file);
    try {
      expect(attributeOf(reader.root, 'Conventions')).toEqual({ name: 'Conventions', dtype: 'char', value: 'CF-1.6' });
      expect(attributeOf(reader.root, 'isce2_topsapp_version')).toEqual({
        name: 'isce2_topsapp_version',
        dtype: 'string',
        value: '0.3.8',
      });
      expect(attributeOf(reader.root, 'aria_frame_id')).toEqual({ name: 'aria_frame_id', dtype: 'i8', value: 25502 });
      const grids = [...walkGroups(reader.root)].find((g) => g.path === '/science/grids')!;
      expect(attributeOf(grids, 'esd_coherence_threshold')).toEqual({
        name: 'esd_coherence_threshold',
        dtype: 'f8',
        value: -1,
      });
      expect(attributeOf(reader.root, '_NCProperties')).toBeUndefined();
    } finally {
      reader.close();
    }
  });

  it.skipIf(!hasCommand('ncdump', ['-h']))(
    'writes products netCDF-C reads with real dimensions and types (ncdump)',
    () => {
      const result = spawnSync('ncdump', ['-h', file], { encoding: 'utf8' });
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/group: data \{\s+dimensions:\s+longitude = 70 ;\s+latitude = 60 ;/);
      expect(result.stdout).toContain('float unwrappedPhase(latitude, longitude) ;');
      expect(result.stdout).toContain('unwrappedPhase:_FillValue = 0.f ;');
      expect(result.stdout).toContain('char productBoundingBox(wkt_count, wkt_length) ;');
      expect(result.stdout).toContain('string :isce2_topsapp_version = "0.3.8" ;');
      expect(result.stdout).toContain(':aria_frame_id = 25502LL ;');
      const values = spawnSync('ncdump', ['-v', 'wavelength', file], { encoding: 'utf8' });
      expect(values.stdout).toMatch(/wavelength = 0\.05546576 ;/);
    },
  );

  it.skipIf(!hasCommand('h5dump', ['--version']))('writes deflated chunks HDF5 tools agree on (h5dump)', () => {
    const result = spawnSync('h5dump', ['-p', '-H', '-d', `${DATA}/unwrappedPhase`, file], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('CHUNKED ( 60, 70 )');
    expect(result.stdout).toContain('COMPRESSION DEFLATE { LEVEL 4 }');
  });

  it.skipIf(!hasPythonModules('netCDF4', 'h5py'))(
    "names every variable's dimensions as HDF5's own dimension-scale lookup does",
    async () => {
      // netCDF-C's layouts: dimensions of a parent group, a subgroup's dimension shadowing the root's of the same
      // name, a coordinate variable, and a plain HDF5 dataset without scales (phony dimensions).
      const nested = join(dir, 'nested.nc');
      const script = [
        'import netCDF4, h5py',
        `d = netCDF4.Dataset(${JSON.stringify(nested)}, "w")`,
        'd.createDimension("y", 3); d.createDimension("x", 4)',
        'd.createVariable("x", "f8", ("x",))[:] = [0, 1, 2, 3]',
        'g = d.createGroup("g"); g.createVariable("v", "f4", ("y", "x"))[:] = 1',
        'h = d.createGroup("h"); h.createDimension("x", 2); h.createVariable("w", "i2", ("y", "x"))[:] = 2',
        'd.close()',
        `f = h5py.File(${JSON.stringify(nested)}, "a"); f["g"].create_dataset("plain", data=[[1, 2], [3, 4]]); f.close()`,
      ].join('\n');
      expect(spawnSync(PYTHON, ['-c', script], { encoding: 'utf8' }).status).toBe(0);
      for (const path of [file, nested]) {
        const reader = await H5wasmProductReader.open(path);
        const { h5 } = await loadH5wasm();
        const hdf5 = new h5.File(path, 'r');
        try {
          let checked = 0;
          for (const variable of walkVariables(reader.root)) {
            const dataset = hdf5.get(variable.path) as Dataset;
            const byHdf5 = variable.shape.map((_, axis) => {
              const scale = dataset.get_attached_scales(axis)[0];
              return scale ? scale.slice(scale.lastIndexOf('/') + 1) : `phony_dim_${axis}`;
            });
            expect(variable.dimensions, variable.path).toEqual(byHdf5);
            checked++;
          }
          expect(checked).toBeGreaterThan(3);
        } finally {
          hdf5.close();
          reader.close();
        }
      }
      const reader = await H5wasmProductReader.open(nested);
      expect(findVariable(reader.root, '/h/w')!.dimensions).toEqual(['y', 'x']);
      expect(findVariable(reader.root, '/h/w')!.shape).toEqual([3, 2]);
      expect(findVariable(reader.root, '/g/plain')!.dimensions).toEqual(['phony_dim_0', 'phony_dim_1']);
      reader.close();
    },
  );

  it('translates HDF5 error stacks into one line naming the file', () => {
    const stack = [
      'HDF5-DIAG: Error detected in HDF5 (2.0.0):',
      '  #000: H5F.c line 821 in H5Fopen(): unable to synchronously open file',
      '    major: File accessibility',
      '    minor: Unable to open file',
      '  #001: H5Fsuper.c line 577 in H5F__super_read(): truncated file: eof = 3000000, sblock->base_addr = 0, stored_eof = 9005433',
      '    major: File accessibility',
      '    minor: File has been truncated',
    ].join('\n');
    expect(parseDiagnostics(stack).map((d) => d.origin)).toEqual(['H5Fopen', 'H5F__super_read']);
    const error = translateHdf5Error(new Error(stack), 'cut.nc');
    expect(error.message).toBe(
      'cut.nc: file is truncated (eof = 3000000, sblock->base_addr = 0, stored_eof = 9005433)',
    );
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('leaves an error that is not HDF5 refusing the file as it is: a bug stays a bug', () => {
    const bug = new TypeError('cannot read properties of undefined');
    expect(translateHdf5Error(bug, 'good.nc')).toBe(bug);
  });
});
