import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BufferPool } from '../../src/netcdf/chunks/buffer-pool.js';
import { INFLATE_SLACK, Inflater } from '../../src/netcdf/chunks/inflate.js';
import { Hdf5FormatError } from '../../src/netcdf/hdf5/errors.js';
import { H5wasmProductReader } from '../../src/netcdf/h5wasm/reader.js';
import { writeNetcdf } from '../../src/netcdf/h5wasm/writer.js';
import type { RegionView } from '../../src/netcdf/reader.js';
import { openSource } from '../../src/netcdf/sources.js';
import { tempDir } from '../helpers/tmp.js';

const bytes = (n: number, seed: number): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => ((i * 2654435761 + seed) >>> 13) & (i % 5 === 0 ? 0xff : 0x0f));

function rowsOf(view: RegionView): number[][] {
  const row = new Float64Array(view.rowLength);
  return Array.from({ length: view.rows }, (_, r) => {
    view.readRow(r, row);
    return Array.from(row);
  });
}

describe('inflating into reused buffers', () => {
  it('inflates into the caller’s buffer, exactly as inflateSync does', () => {
    const inflater = new Inflater();
    const output = new Uint8Array(5000);
    for (const seed of [1, 2, 3]) {
      const original = bytes(4096, seed);
      const result = inflater.inflate(deflateSync(original), original.length, output);
      expect(inflater.lastPath).toBe('direct');
      expect(result.buffer).toBe(output.buffer);
      expect(Buffer.from(result).equals(Buffer.from(original))).toBe(true);
    }
  });

  it('refuses corrupt, cut or mis-sized streams as damage, falls back for small buffers, and recovers afterwards', () => {
    const inflater = new Inflater();
    const original = bytes(4096, 7);
    const packed = deflateSync(original);
    const room = (): Uint8Array => new Uint8Array(original.length + INFLATE_SLACK);
    const corrupt = Buffer.from(packed);
    corrupt[Math.floor(corrupt.length / 2)]! ^= 0xff;
    corrupt[Math.floor(corrupt.length / 3)]! ^= 0xff;
    expect(() => inflater.inflate(corrupt, original.length, room())).toThrow(Hdf5FormatError);
    expect(() => inflater.inflate(corrupt, original.length, room())).toThrow(/deflate stream is damaged/);
    // Without its adler32 trailer the data is all there, but the stream never ended: HDF5 refuses it too.
    expect(() => inflater.inflate(packed.subarray(0, packed.length - 4), original.length, room())).toThrow(
      /deflate stream is damaged/,
    );
    // A wrong trailer.
    const badTrailer = Buffer.from(packed);
    badTrailer[badTrailer.length - 1]! ^= 0x01;
    expect(() => inflater.inflate(badTrailer, original.length, room())).toThrow(/incorrect data check/);
    // A chunk that inflates to less, or more, than its declared size.
    expect(() => inflater.inflate(packed, original.length + 10, new Uint8Array(original.length + 11))).toThrow(
      /inflates to 4096 bytes, the chunk holds 4106/,
    );
    expect(() => inflater.inflate(packed, original.length - 10, room())).toThrow(
      /inflates to more than the 4086 bytes/,
    );
    // Too small an output buffer: inflateSync's own buffer, same checks.
    expect(inflater.inflate(packed, original.length, new Uint8Array(10)).length).toBe(original.length);
    expect(inflater.lastPath).toBe('fallback');
    // An exactly full buffer leaves no room to see the stream end: the checked fallback is used.
    expect(
      Buffer.from(inflater.inflate(packed, original.length, new Uint8Array(original.length))).equals(
        Buffer.from(original),
      ),
    ).toBe(true);
    expect(inflater.lastPath).toBe('fallback');
    // And the fast path works again after the failures.
    expect(Buffer.from(inflater.inflate(packed, original.length, room())).equals(Buffer.from(original))).toBe(true);
    expect(inflater.lastPath).toBe('direct');
  });

  it('pools buffers: a given-back buffer is handed out again, the smallest that fits, and only `keep` are kept', () => {
    const pool = new BufferPool(2);
    const a = pool.take(100);
    const b = pool.take(200);
    const c = pool.take(300);
    pool.give(b);
    pool.give(b);
    pool.give(a);
    expect(pool.take(150)).toBe(b);
    pool.give(b);
    pool.give(c);
    expect(pool.freeBytes).toBe(500);
    expect(pool.take(50)).toBe(b);
    expect(pool.take(400)).not.toBe(c);
  });
});

describe('regions read into reused memory', () => {
  const dir = tempDir();
  const rows = 40;
  const cols = 30;
  const values = (k: number): Float32Array => Float32Array.from({ length: rows * cols }, (_, i) => k * 1000 + i);

  it('keeps a view readable until it is released, even as other regions are read, compressed or not', async () => {
    const file = join(dir, 'reuse.nc');
    await writeNetcdf(file, {
      dimensions: { y: rows, x: cols },
      variables: [
        {
          name: 'packed',
          dtype: 'f4',
          dimensions: ['y', 'x'],
          data: values(1),
          chunks: [20, 15],
          deflate: 4,
          shuffle: true,
        },
        { name: 'plain', dtype: 'f4', dimensions: ['y', 'x'], data: values(2), chunks: [20, 15] },
      ],
    });
    const reader = await H5wasmProductReader.open(file);
    try {
      const packed = await openSource(reader.sourceFor('/packed'));
      const plain = await openSource(reader.sourceFor('/plain'));
      expect(reader.sourceFor('/plain')).toMatchObject({ kind: 'chunks', filters: [] });
      const expectRegion = (view: RegionView, k: number, r0: number, c0: number, count: [number, number]): void => {
        const all = values(k);
        const want = Array.from({ length: count[0] }, (_, r) =>
          Array.from(all.subarray((r0 + r) * cols + c0, (r0 + r) * cols + c0 + count[1])),
        );
        expect(rowsOf(view)).toEqual(want);
      };
      // Two views alive at once from each source, then more reads after releasing: every view reads its own values.
      const first = packed.read([0, 0], [20, 15]);
      const second = plain.read([0, 15], [20, 15]);
      const third = packed.read([20, 15], [20, 15]);
      const fourth = plain.read([20, 0], [20, 15]);
      expectRegion(first, 1, 0, 0, [20, 15]);
      expectRegion(second, 2, 0, 15, [20, 15]);
      expectRegion(third, 1, 20, 15, [20, 15]);
      expectRegion(fourth, 2, 20, 0, [20, 15]);
      for (const view of [first, second, third, fourth]) view.release?.();
      // Regions across chunks (assembled) and inside one again, reusing the released memory.
      const across = packed.read([10, 5], [20, 20]);
      const inside = plain.read([0, 0], [20, 15]);
      expectRegion(across, 1, 10, 5, [20, 20]);
      expectRegion(inside, 2, 0, 0, [20, 15]);
      across.release?.();
      expectRegion(packed.read([5, 0], [10, 15]), 1, 5, 0, [10, 15]);
      expectRegion(inside, 2, 0, 0, [20, 15]);
      packed.close();
      plain.close();
    } finally {
      reader.close();
    }
  });
});
