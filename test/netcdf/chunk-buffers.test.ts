import { readFileSync, writeFileSync } from 'node:fs';
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
import { badStreams } from '../helpers/streams.js';
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

  it('inflates a stream read piece by piece, and gives up (for the checked path) on any stream not whole and right', () => {
    const inflater = new Inflater();
    const original = bytes(40_000, 11);
    const packed = deflateSync(original);
    const piece = new Uint8Array(997);
    const reads: number[] = [];
    const from = (stream: Uint8Array) => (offset: number, length: number, into: Uint8Array) => {
      reads.push(length);
      into.set(stream.subarray(offset, offset + length));
      return into;
    };
    const room = (): Uint8Array => new Uint8Array(original.length + INFLATE_SLACK);
    const output = room();
    const result = inflater.inflatePieces(packed.length, original.length, output, piece, from(packed));
    expect(result?.buffer).toBe(output.buffer);
    expect(Buffer.from(result!).equals(Buffer.from(original))).toBe(true);
    expect(reads.length).toBe(Math.ceil(packed.length / 997));
    expect(Math.max(...reads)).toBe(997);
    for (const [stream, expected] of badStreams(packed, original.length)) {
      const out = new Uint8Array(expected + INFLATE_SLACK);
      expect(inflater.inflatePieces(stream.length, expected, out, piece, from(stream))).toBeNull();
    }
    // No room for the slack byte: not this path.
    expect(
      inflater.inflatePieces(packed.length, original.length, new Uint8Array(original.length), piece, from(packed)),
    ).toBeNull();
    // And it works again after the failures.
    expect(
      Buffer.from(inflater.inflatePieces(packed.length, original.length, room(), piece, from(packed))!).equals(
        Buffer.from(original),
      ),
    ).toBe(true);
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

describe('chunks over 1 MiB compressed', () => {
  const dir = tempDir();
  // 640 × 640 float32 with random mantissas: a 1.6 MB chunk that stays over 1 MiB deflated, so it is inflated as
  // it is read.
  const side = 640;
  let state = 2463534242;
  const words = Uint32Array.from({ length: side * side }, () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (0x3f800000 | ((state >>> 0) & 0x7fffff)) >>> 0;
  });
  const noise = new Float32Array(words.buffer);

  it('read back exactly, and a damaged one is refused as HDF5 would refuse it', async () => {
    const file = join(dir, 'big-chunk.nc');
    await writeNetcdf(file, {
      dimensions: { y: side, x: side },
      variables: [
        {
          name: 'v',
          dtype: 'f4',
          dimensions: ['y', 'x'],
          data: noise,
          chunks: [side, side],
          deflate: 4,
          shuffle: true,
        },
      ],
    });
    const reader = await H5wasmProductReader.open(file);
    const descriptor = reader.sourceFor('/v');
    reader.close();
    if (descriptor.kind !== 'chunks') throw new Error('expected direct chunk reads');
    expect(descriptor.table.sizes[0]).toBeGreaterThan(1024 * 1024);
    const source = await openSource(descriptor);
    const view = source.read([0, 0], [side, side]);
    const row = new Float64Array(side);
    view.readRow(side - 1, row);
    expect(Array.from(row)).toEqual(Array.from(noise.subarray((side - 1) * side)));
    view.release?.();
    source.close();
    // Damage the stored bytes past the first 1 MiB piece.
    const damaged = join(dir, 'damaged.nc');
    const bytes = readFileSync(file);
    bytes[descriptor.table.addresses[0]! + 1024 * 1024 + 4096]! ^= 0xff;
    writeFileSync(damaged, bytes);
    const broken = await openSource({ ...descriptor, file: damaged });
    // Refused when the region is read or, for a chunk read while it inflates, when the damaged rows are.
    expect(() => rowsOf(broken.read([0, 0], [side, side]))).toThrow(
      /damaged: stored data of chunk \[0, 0\]: deflate stream is damaged/,
    );
    broken.close();
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
