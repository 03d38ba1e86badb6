import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { H5wasmProductReader } from '../../src/netcdf/h5wasm/reader.js';
import { writeNetcdf } from '../../src/netcdf/h5wasm/writer.js';
import { Hdf5FormatError, Hdf5Unsupported } from '../../src/netcdf/hdf5/errors.js';
import { Hdf5File } from '../../src/netcdf/hdf5/file.js';
import { isNumericDType, walkVariables, type NcGroup } from '../../src/netcdf/model.js';
import { NativeProductReader } from '../../src/netcdf/native/reader.js';
import { readNativeStructure } from '../../src/netcdf/native/structure.js';
import { openProduct } from '../../src/netcdf/open.js';
import type { ProductReader, SourceDescriptor } from '../../src/netcdf/reader.js';
import { openSource } from '../../src/netcdf/sources.js';
import { samplePair } from '../../src/sample/pair.js';
import { expectSameRegionAsHdf5, rows } from '../helpers/regions.js';
import { tempDir } from '../helpers/tmp.js';
import { hasPythonModules, PYTHON } from '../helpers/tools.js';

/**
 * The project's own HDF5 parser must read exactly what HDF5 itself (h5wasm) reads: the same model (groups,
 * variables, dimensions, attributes, order), the same values and text, and the same regions.
 */
const dir = tempDir();

/** JSON that keeps NaN and ±Infinity apart (JSON.stringify makes all of them null). */
function modelJson(root: NcGroup): unknown {
  return JSON.parse(JSON.stringify(root, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? `#${value}` : value)));
}

function values(data: ArrayLike<number | bigint>): string[] {
  return Array.from(data, (v) => String(v));
}

function nativeStructure(path: string): NcGroup {
  const file = Hdf5File.open(path);
  try {
    return readNativeStructure(file).root;
  } finally {
    file.close();
  }
}

async function expectSameStructure(path: string): Promise<void> {
  const hdf5 = await H5wasmProductReader.open(path);
  try {
    expect(modelJson(nativeStructure(path))).toEqual(modelJson(hdf5.root));
  } finally {
    hdf5.close();
  }
}

/** Every numeric and text variable, read whole and as a region, gives HDF5's values. */
async function expectSameContent(native: ProductReader, path: string): Promise<void> {
  const hdf5 = await H5wasmProductReader.open(path);
  try {
    for (const variable of walkVariables(native.root)) {
      if (variable.dtype === 'string' || variable.dtype === 'char') {
        expect(native.readText(variable.path), variable.path).toEqual(hdf5.readText(variable.path));
        continue;
      }
      if (!isNumericDType(variable.dtype)) continue;
      expect(values(native.readNumeric(variable.path)), variable.path).toEqual(values(hdf5.readNumeric(variable.path)));
      if (variable.shape.includes(0)) continue;
      const start = variable.shape.map((size) => Math.min(1, size - 1));
      await expectSameRegionAsHdf5({ ...native.sourceFor(variable.path), file: path }, start, variable.shape.map((size, d) => size - start[d]!));
    }
  } finally {
    hdf5.close();
  }
}

describe('the native HDF5 reader on a product this project writes (h5wasm, netCDF-4 conventions)', () => {
  const written = join(dir, 'written.nc');
  beforeAll(async () => {
    await writeNetcdf(written, samplePair({}, { rows: 47, cols: 53 }).reference);
  });

  it('gives the h5wasm reader\'s model, values, text and regions', async () => {
    await expectSameStructure(written);
    const reader = NativeProductReader.open(written);
    try {
      await expectSameContent(reader, written);
    } finally {
      reader.close();
    }
  });

  it('is what openProduct opens, and its layer sources are portable chunk tables', async () => {
    const reader = await openProduct(written);
    try {
      expect(reader).toBeInstanceOf(NativeProductReader);
      expect(reader.sourceFor('/science/grids/data/unwrappedPhase').kind).toBe('chunks');
    } finally {
      reader.close();
    }
  });
});

const python = hasPythonModules('numpy', 'netCDF4', 'h5py');
describe.skipIf(!python)('the native HDF5 reader on files of every HDF5 layout (needs Debian python3-netcdf4, python3-h5py)', () => {
  const files = join(dir, 'variety');
  const at = (name: string): string => join(files, name);
  beforeAll(() => {
    const made = spawnSync(PYTHON, [join(import.meta.dirname, '../fixtures/make_hdf5_variety.py'), files], { encoding: 'utf8' });
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
  });

  it.each(['netcdf-c.nc', 'h5py-earliest.h5', 'h5py-latest.h5'])('builds the same model as HDF5 from %s', async (name) => {
    await expectSameStructure(at(name));
  });

  it.each(['netcdf-c.nc', 'h5py-earliest.h5'])('reads every value, text and region of %s as HDF5 does', async (name) => {
    const reader = NativeProductReader.open(at(name));
    try {
      await expectSameContent(reader, at(name));
    } finally {
      reader.close();
    }
  });

  it('follows dense link and attribute storage, creation order and deep B-trees', () => {
    const root = nativeStructure(at('h5py-latest.h5'));
    const group = (path: string): NcGroup => {
      const found = [root, ...root.groups].find((g) => g.path === path);
      if (!found) throw new Error(`no group ${path}`);
      return found;
    };
    const links = group('/links').groups.map((g) => g.name);
    expect(links).toHaveLength(2000);
    expect(links.slice(0, 3)).toEqual(['g0000', 'g0001', 'g0002']);
    const ordered = group('/ordered');
    expect(ordered.variables.map((v) => v.name)).toEqual(['zeta', 'alpha', 'mid', 'beta', 'omega', 'gamma', 'delta', 'eps', 'eta', 'theta', 'iota']);
    expect(ordered.attributes.map((a) => a.value).slice(0, 3)).toEqual(['ZETA', 'ALPHA', 'MID']);
    const holder = root.variables.find((v) => v.name === 'holder')!;
    expect(holder.attributes).toHaveLength(1500);
    expect(holder.attributes[1234]).toEqual({ name: 'attr1234', dtype: 'i4', value: 1234 });
  });

  it('inlines small variables it cannot stream: big-endian, compact, never written, partly written', () => {
    const netcdf = NativeProductReader.open(at('netcdf-c.nc'));
    const earliest = NativeProductReader.open(at('h5py-earliest.h5'));
    try {
      expect(netcdf.sourceFor('/science/grids/data/checked')).toMatchObject({ kind: 'chunks', filters: [3, 2, 1] });
      expect(netcdf.sourceFor('/science/grids/data/contiguous').kind).toBe('contiguous');
      expect(netcdf.sourceFor('/science/grids/data/bigEndian').kind).toBe('inline');
      const never = netcdf.sourceFor('/science/grids/data/neverWritten');
      expect(never.kind).toBe('inline');
      expect(new Set(values(netcdf.readNumeric('/science/grids/data/neverWritten')))).toEqual(new Set(['-9999']));
      expect(earliest.sourceFor('/compact').kind).toBe('inline');
      expect(values(earliest.readNumeric('/compact'))).toEqual(Array.from({ length: 12 }, (_, i) => String(i)));
      const partial = values(earliest.readNumeric('/chunked_partial'));
      expect(partial.filter((v) => v === '1')).toHaveLength(25);
      expect(partial.filter((v) => v === '7')).toHaveLength(75);
      expect(netcdf.readText('/meta/L1InputGranules')).toEqual(['S1A_first.zip', 'S1B_second_ünïcode.zip']);
      expect(netcdf.readText('/meta/box')).toEqual(['POLYGON((1 2', 'short']);
    } finally {
      netcdf.close();
      earliest.close();
    }
  });

  it('declines files with what it does not implement, and openProduct reads them with HDF5', async () => {
    expect(() => NativeProductReader.open(at('h5py-latest.h5'))).toThrow(Hdf5Unsupported);
    expect(() => NativeProductReader.open(at('soft-link.h5'))).toThrow(/soft link/);
    for (const name of ['h5py-latest.h5', 'soft-link.h5']) {
      const reader = await openProduct(at(name));
      try {
        expect(reader).toBeInstanceOf(H5wasmProductReader);
      } finally {
        reader.close();
      }
    }
  });
});

describe('the native HDF5 reader on damaged files', () => {
  const good = join(dir, 'good.nc');
  beforeAll(async () => {
    await writeNetcdf(good, samplePair({}, { rows: 20, cols: 24 }).reference);
  });

  it('refuses a truncated file as HDF5 does, naming both sizes', () => {
    const cut = join(dir, 'cut.nc');
    const bytes = readFileSync(good);
    writeFileSync(cut, bytes.subarray(0, bytes.length - 100));
    expect(() => Hdf5File.open(cut)).toThrow(new Hdf5FormatError(`truncated file: the file has ${bytes.length - 100} bytes, its superblock says ${bytes.length}`));
  });

  it('refuses a file without the HDF5 signature', () => {
    const text = join(dir, 'text.nc');
    writeFileSync(text, 'not HDF5 at all '.repeat(100));
    expect(() => Hdf5File.open(text)).toThrow(/HDF5 signature not found/);
  });

  it('stops on an object header it cannot make sense of, and openProduct leaves the verdict to HDF5', async () => {
    const damaged = join(dir, 'damaged.nc');
    const bytes = Buffer.from(readFileSync(good));
    // The root group's object header follows the 48-byte version-2 superblock: break its signature.
    const root = bytes.indexOf('OHDR', 0, 'latin1');
    bytes.write('XXXX', root, 'latin1');
    writeFileSync(damaged, bytes);
    expect(() => NativeProductReader.open(damaged)).toThrow();
    await expect(openProduct(damaged)).rejects.toThrow(/damaged\.nc: /);
  });
});

describe('sources the native reader hands out', () => {
  it('open in any thread from plain data: an inline source is its bytes', async () => {
    const bytes = new Uint8Array(new Float32Array([1, 2, 3, 4, 5, 6]).buffer);
    const descriptor: SourceDescriptor = { kind: 'inline', file: 'x.nc', variable: '/v', dtype: 'f4', shape: [2, 3], bytes };
    const source = await openSource(structuredClone(descriptor));
    expect(rows(source.read([0, 1], [2, 2]))).toEqual([
      [2, 3],
      [5, 6],
    ]);
  });
});
