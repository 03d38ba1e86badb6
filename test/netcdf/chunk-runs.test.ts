import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunBuilder } from '../../src/netcdf/chunks/runs.js';
import { H5wasmProductReader } from '../../src/netcdf/h5wasm/reader.js';
import type { NumericDType } from '../../src/netcdf/model.js';
import { openSource } from '../../src/netcdf/sources.js';
import { expectSameRegionAsHdf5 } from '../helpers/regions.js';
import { tempDir } from '../helpers/tmp.js';
import { hasPythonModules, PYTHON } from '../helpers/tools.js';

const TYPES: Record<
  string,
  { size: number; make: (n: number) => Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array }
> = {
  i1: { size: 1, make: (n) => new Int8Array(n) },
  u1: { size: 1, make: (n) => new Uint8Array(n) },
  i2: { size: 2, make: (n) => new Int16Array(n) },
  u2: { size: 2, make: (n) => new Uint16Array(n) },
  i4: { size: 4, make: (n) => new Int32Array(n) },
  u4: { size: 4, make: (n) => new Uint32Array(n) },
};

/** Label-like values: long runs of values spread over the type's whole range (negative ones included). */
function labels(dtype: string, n: number, seed: number): ArrayLike<number> & { buffer: ArrayBufferLike } {
  const values = TYPES[dtype]!.make(n);
  let value = 0;
  let state = seed;
  for (let i = 0; i < n; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    if (state % 37 === 0) value = (state >>> 3) * (state % 2 === 0 ? -1 : 1);
    values[i] = value;
  }
  return values;
}

/** HDF5's shuffle filter: byte k of every element, plane after plane. */
function shuffle(bytes: Uint8Array, size: number): Uint8Array {
  const n = bytes.length / size;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < n; i++) for (let b = 0; b < size; b++) out[b * n + i] = bytes[i * size + b]!;
  return out;
}

describe('chunks held as runs of equal values', () => {
  it('gives back every element of every integer type, shuffled or not, however the bytes are split', () => {
    // One builder for every chunk, as a thread uses it.
    const builder = new RunBuilder();
    for (const [dtype, { size }] of Object.entries(TYPES)) {
      for (const shuffled of [false, true]) {
        const n = 5003;
        const values = labels(dtype, n, size * 7 + (shuffled ? 1 : 0));
        const plain = new Uint8Array(values.buffer);
        const stream = shuffled ? shuffle(plain, size) : plain;
        builder.start(n, size, shuffled, n);
        // Pieces of odd sizes, so that pieces start inside elements and cross plane boundaries.
        for (let at = 0, step = 1; at < stream.length; at += step, step = (step * 3 + 1) % 997)
          expect(builder.take(stream.subarray(at, at + step))).toBe(true);
        const runs = builder.finish(dtype as NumericDType)!;
        expect(runs.runs).toBeLessThan(n / 10);
        const out = new Float64Array(n + 4).fill(Number.NaN);
        runs.fill(0, n, out, 2);
        expect(Array.from(out.subarray(2, n + 2)), `${dtype} shuffled=${shuffled}`).toEqual(Array.from(values));
        expect([out[0], out[1], out[n + 2], out[n + 3]]).toEqual([NaN, NaN, NaN, NaN]);
        for (const [from, length] of [
          [0, 1],
          [1, 7],
          [4000, 1003],
          [2500, 1],
        ] as const) {
          const part = new Float64Array(length);
          runs.fill(from, length, part, 0);
          expect(Array.from(part)).toEqual(Array.from(values).slice(from, from + length));
        }
      }
    }
  });

  it('gives up on chunks that would make too many runs, and has nothing before every byte came', () => {
    const noisy = new Uint8Array(4000).map((_, i) => (i * 7919) % 251);
    expect(new RunBuilder().start(2000, 2, true, 100).take(noisy)).toBe(false);
    expect(new RunBuilder().start(4000, 1, false, 100).take(noisy)).toBe(false);
    const half = new RunBuilder().start(2000, 2, true, 2000);
    expect(half.take(new Uint8Array(3000))).toBe(true);
    expect(half.finish('i2')).toBeNull();
    expect(half.take(new Uint8Array(1001))).toBe(false);
  });

  const python = hasPythonModules('numpy', 'netCDF4');
  it.skipIf(!python)(
    'reads label variables as HDF5 does, inside chunks and across them, holding no decoded chunk (needs python3-netcdf4)',
    async () => {
      const file = join(tempDir(), 'labels.nc');
      const script = `
import sys, numpy as np, netCDF4
rows, cols = 260, 330
with netCDF4.Dataset(sys.argv[1], "w") as ds:
    ds.createDimension("y", rows); ds.createDimension("x", cols)
    yy, xx = np.mgrid[0:rows, 0:cols]
    blobs = ((yy // 41) * 7 + (xx // 97) * 3 - 5).astype("i2")
    blobs[(yy - 120) ** 2 + (xx - 160) ** 2 < 900] = -1
    v = ds.createVariable("labels", "i2", ("y", "x"), zlib=True, shuffle=True, chunksizes=(100, 120), fill_value=np.int16(-1))
    v[:] = blobs
    v = ds.createVariable("plain", "u2", ("y", "x"), zlib=True, shuffle=False, chunksizes=(100, 120))
    v[:] = (blobs.astype("i4") + 40000).astype("u2")
    v = ds.createVariable("mask", "u1", ("y", "x"), zlib=True, chunksizes=(100, 120))
    v[:] = (blobs > 10).astype("u1")
    v = ds.createVariable("wide", "i4", ("y", "x"), zlib=True, shuffle=True, chunksizes=(100, 120))
    v[:] = blobs.astype("i4") * 100003
    v = ds.createVariable("checkerboard", "i2", ("y", "x"), zlib=True, shuffle=True, chunksizes=(100, 120))
    v[:] = ((yy + xx) % 2).astype("i2")
`;
      const made = spawnSync(PYTHON, ['-c', script, file], { encoding: 'utf8' });
      expect(made.stderr).toBe('');
      const reader = await H5wasmProductReader.open(file);
      try {
        for (const name of ['labels', 'plain', 'mask', 'wide', 'checkerboard']) {
          const descriptor = reader.sourceFor(`/${name}`);
          expect(descriptor.kind).toBe('chunks');
          if (descriptor.kind !== 'chunks') continue;
          for (const [start, count] of [
            [
              [0, 0],
              [100, 120],
            ],
            [
              [10, 20],
              [170, 200],
            ],
            [
              [185, 290],
              [75, 40],
            ],
            [
              [0, 0],
              [260, 330],
            ],
          ] as const)
            await expectSameRegionAsHdf5(descriptor, [...start], [...count]);
          // Rows as runs, where the view has them, are the rows.
          const view = (await openSource(descriptor)).read([10, 20], [170, 200]);
          expect(view.readRowRuns !== undefined, name).toBe(name !== 'checkerboard');
          if (view.readRowRuns) {
            const [starts, values, row] = [new Int32Array(200), new Float64Array(200), new Float64Array(200)];
            for (const r of [0, 89, 90, 169]) {
              const runs = view.readRowRuns(r, starts, values);
              const expanded = Array.from({ length: runs }, (_, k) =>
                Array<number>((k + 1 < runs ? starts[k + 1]! : 200) - starts[k]!).fill(values[k]!),
              ).flat();
              view.readRow(r, row);
              expect(expanded).toEqual(Array.from(row));
              // Each run differs from the one before: a run continued across a chunk boundary is one run.
              expect(values.subarray(1, runs).every((v, k) => v !== values[k])).toBe(true);
            }
          }
          // A chunk said to lie past the end of the file is reported as the whole-chunk decode reports it.
          const beyond = { ...descriptor.table, addresses: descriptor.table.addresses.map((a) => a + 10_000_000) };
          const broken = await openSource({ ...descriptor, table: beyond });
          expect(() => broken.read([0, 0], [10, 10])).toThrow(
            /damaged: stored data of chunk \[0, 0\]: .*outside the file/,
          );
          broken.close();
          // Views over runs lend no pooled decode buffer (nothing to release); a checkerboard, which deflate packs
          // well but which is all runs of one, is read decoded.
          const source = await openSource(descriptor);
          expect(source.read([10, 20], [170, 200]).release === undefined, name).toBe(name !== 'checkerboard');
          source.close();
        }
      } finally {
        reader.close();
      }
    },
  );
});
