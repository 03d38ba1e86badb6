import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { shuffleBytes } from '../../src/netcdf/chunks/slab-encoding.js';
import { unshuffle } from '../../src/netcdf/chunks/decode.js';
import { H5wasmProductReader } from '../../src/netcdf/h5wasm/reader.js';
import { writeNetcdf } from '../../src/netcdf/h5wasm/writer.js';
import { findVariable } from '../../src/netcdf/model.js';
import { openSource } from '../../src/netcdf/sources.js';
import type { GroupSpec } from '../../src/netcdf/spec.js';
import { tempDir } from '../helpers/tmp.js';
import { hasCommand, hasPythonModules, PYTHON } from '../helpers/tools.js';

const H = 300;
const W = 257;
const phase = Float32Array.from({ length: H * W }, (_, i) => (i % 97 === 0 ? 0 : Math.sin(i / 50)));
const cube = Float32Array.from({ length: 4 * 30 * 40 }, (_, i) => i * 0.5);
const labels = Int16Array.from({ length: H * W }, (_, i) => (i % 13) - 1);

function spec(reads: [number, number][]): GroupSpec {
  return {
    dimensions: { lat: H, lon: W, h: 4, y: 30, x: 40 },
    variables: [
      {
        name: 'lat',
        dtype: 'f8',
        dimensions: ['lat'],
        data: Float64Array.from({ length: H }, (_, i) => 47 + i / 1200),
        chunks: [H],
        deflate: 4,
        shuffle: true,
      },
      {
        name: 'lon',
        dtype: 'f8',
        dimensions: ['lon'],
        data: Float64Array.from({ length: W }, (_, i) => -71 + i / 1200),
        chunks: [W],
        deflate: 4,
        shuffle: true,
      },
      {
        name: 'phase',
        dtype: 'f4',
        dimensions: ['lat', 'lon'],
        fillValue: 0,
        // 16 x 16 chunks: 19 x 17 = 323 chunks, more than one B-tree node holds.
        chunks: [16, 16],
        deflate: 4,
        shuffle: true,
        data: {
          kind: 'slabs',
          read: (start, count) => {
            reads.push([start, count]);
            return phase.subarray(start * W, (start + count) * W);
          },
        },
      },
      {
        name: 'labels',
        dtype: 'i2',
        dimensions: ['lat', 'lon'],
        fillValue: -1,
        chunks: [64, 64],
        deflate: 1,
        shuffle: false,
        data: labels,
      },
      {
        name: 'cube',
        dtype: 'f4',
        dimensions: ['h', 'y', 'x'],
        fillValue: 0,
        chunks: [1, 16, 16],
        deflate: 9,
        shuffle: true,
        data: cube,
      },
    ],
  };
}

describe('chunk writer: shuffle + deflate chunks written after h5wasm', () => {
  const dir = tempDir();
  const file = join(dir, 'chunks.nc');
  const reads: [number, number][] = [];
  beforeAll(async () => {
    await writeNetcdf(file, spec(reads));
  });

  it('asks for one chunk-row slab at a time, in order', () => {
    expect(reads[0]).toEqual([0, 16]);
    expect(reads.at(-1)).toEqual([288, 12]);
    expect(reads).toHaveLength(19);
    expect(readdirSync(dir)).toEqual(['chunks.nc']);
  });

  it("reads back exactly through h5wasm (HDF5 itself) and the project's own chunk reader", async () => {
    const reader = await H5wasmProductReader.open(file);
    try {
      expect(Array.from(reader.readNumeric('/phase') as Float32Array)).toEqual(Array.from(phase));
      expect(Array.from(reader.readNumeric('/labels') as Int16Array)).toEqual(Array.from(labels));
      expect(Array.from(reader.readNumeric('/cube') as Float32Array)).toEqual(Array.from(cube));
      const variable = findVariable(reader.root, '/phase')!;
      expect(variable.storage.filters.map((f) => f.name)).toEqual(['shuffle', 'deflate']);
      const descriptor = reader.sourceFor('/phase');
      expect(descriptor.kind).toBe('chunks');
      const source = await openSource(descriptor);
      const view = source.read([290, 250], [10, 7]);
      const row = new Float64Array(7);
      view.readRow(9, row);
      expect(Array.from(row)).toEqual(Array.from(phase.subarray(299 * W + 250, 299 * W + 257)));
      source.close();
    } finally {
      reader.close();
    }
  });

  it.runIf(hasCommand('h5dump', ['-V']))('is a valid HDF5 file with a shuffle then deflate pipeline (h5dump)', () => {
    const out = spawnSync('h5dump', ['-p', '-H', '-d', '/phase', file], { encoding: 'utf8' });
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/PREPROCESSING SHUFFLE\s+COMPRESSION DEFLATE \{ LEVEL 4 \}/);
    expect(out.stdout).toContain('DATASPACE  SIMPLE { ( 300, 257 ) / ( 300, 257 ) }');
  });

  it.runIf(hasCommand('ncdump', []))('is netCDF-4 as netCDF-C sees it (ncdump -s)', () => {
    const out = spawnSync('ncdump', ['-h', '-s', file], { encoding: 'utf8' });
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(
      /float phase\(lat, lon\) ;\n\t\tphase:_FillValue = 0.f ;\n\t\tphase:_Storage = "chunked" ;\n\t\tphase:_ChunkSizes = 16, 16 ;\n\t\tphase:_Shuffle = "true" ;\n\t\tphase:_DeflateLevel = 4 ;/,
    );
    expect(out.stdout).toMatch(/short labels\(lat, lon\) ;[\s\S]*labels:_DeflateLevel = 1 ;/);
  });

  it.runIf(hasPythonModules('netCDF4', 'numpy'))('reads back in netCDF4-python with the same values', () => {
    const script = `
import netCDF4, numpy as np, sys
d = netCDF4.Dataset(sys.argv[1])
d.set_auto_mask(False)
p = d['phase'][:]
print(p.shape, float(p[299, 256]), float(p[0, 1]), d['phase'].filters()['shuffle'], int(d["cube"][:].sum()), int(d['labels'][:].min()))`;
    const out = spawnSync(PYTHON, ['-c', script, file], { encoding: 'utf8' });
    expect(out.stderr).toBe('');
    const last = phase[299 * W + 256]!;
    expect(out.stdout.trim()).toBe(`(300, 257) ${last} ${phase[1]} True ${cube.reduce((a, b) => a + b, 0)} -1`);
  });

  it('leaves no file behind when a slab has the wrong size', async () => {
    const bad = join(dir, 'bad.nc');
    const broken: GroupSpec = {
      dimensions: { r: 20, c: 10 },
      variables: [
        {
          name: 'v',
          dtype: 'f4',
          dimensions: ['r', 'c'],
          chunks: [5, 5],
          deflate: 4,
          data: { kind: 'slabs', read: () => new Float32Array(3) },
        },
      ],
    };
    await expect(writeNetcdf(bad, broken)).rejects.toThrow('slab at 0 has 12 bytes, expected 200');
    expect(existsSync(bad)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.startsWith('bad'))).toEqual([]);
  });

  it('lends a source the same few slab buffers again, each exactly the size of its slab', async () => {
    const lent = join(dir, 'lent.nc');
    const rows = 40;
    const values = Float32Array.from({ length: rows * 9 }, (_, i) => i / 3);
    const seen = new Set<ArrayBuffer>();
    const sizes: number[] = [];
    const lending: GroupSpec = {
      dimensions: { r: rows, c: 9 },
      variables: [
        {
          name: 'v',
          dtype: 'f4',
          dimensions: ['r', 'c'],
          chunks: [3, 4],
          deflate: 4,
          shuffle: true,
          data: {
            kind: 'slabs',
            fresh: true,
            read: (start, count, into) => {
              seen.add(into!);
              sizes.push(into!.byteLength);
              const out = new Float32Array(into!);
              out.set(values.subarray(start * 9, (start + count) * 9));
              return out;
            },
          },
        },
      ],
    };
    await writeNetcdf(lent, lending);
    expect(sizes).toEqual([...Array<number>(13).fill(3 * 9 * 4), 9 * 4]);
    // 14 slabs from at most a window's worth of buffers (and the short last one).
    expect(seen.size).toBeLessThanOrEqual(6);
    const reader = await H5wasmProductReader.open(lent);
    try {
      expect(Array.from(reader.readNumeric('/v') as Float32Array)).toEqual(Array.from(values));
    } finally {
      reader.close();
    }
  });

  it('shuffles bytes the way the reader unshuffles them', () => {
    const bytes = Uint8Array.from({ length: 24 }, (_, i) => i);
    expect(Array.from(shuffleBytes(bytes, 4).subarray(0, 6))).toEqual([0, 4, 8, 12, 16, 20]);
    expect(Array.from(unshuffle(shuffleBytes(bytes, 8), 8))).toEqual(Array.from(bytes));
  });
});
