import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ChunkStream } from '../../src/netcdf/chunks/chunk-stream.js';
import { H5wasmProductReader } from '../../src/netcdf/h5wasm/reader.js';
import { writeNetcdf } from '../../src/netcdf/h5wasm/writer.js';
import type { ChunkSourceDescriptor, RegionView } from '../../src/netcdf/reader.js';
import { openSource } from '../../src/netcdf/sources.js';
import { badStreams, readerOf } from '../helpers/streams.js';
import { tempDir } from '../helpers/tmp.js';

function readRows(view: RegionView, order: number[]): number[][] {
  const row = new Float64Array(view.rowLength);
  const out: number[][] = [];
  for (const r of order) {
    view.readRow(r, row);
    out[r] = Array.from(row);
  }
  return out;
}

describe('a chunk stream inflated on demand', () => {
  const original = Uint8Array.from({ length: 300_000 }, (_, i) => ((i * 2654435761) >>> 20) & 0x3f);
  const packed = deflateSync(original);

  it('hands out the decoded bytes in any pieces and ends exactly at the end', () => {
    const stream = new ChunkStream();
    for (const sizes of [[300_000], [1, 99_999, 200_000], [150_000, 149_999, 1]]) {
      expect(stream.begin(packed.length, readerOf(packed))).toBe(true);
      const parts = sizes.map((n) => {
        const part = new Uint8Array(n);
        expect(stream.fill(part)).toBe(true);
        return part;
      });
      expect(Buffer.concat(parts).equals(Buffer.from(original))).toBe(true);
      expect(stream.end()).toBe(true);
    }
  });

  it('fails on streams that are damaged, cut, too short or followed by more bytes', () => {
    const stream = new ChunkStream();
    const all = new Uint8Array(original.length);
    const corrupt = Buffer.from(packed);
    corrupt[Math.floor(corrupt.length / 2)]! ^= 0xff;
    expect(stream.begin(corrupt.length, readerOf(corrupt)) && stream.fill(all) && stream.end()).toBe(false);
    // Every byte there, the adler32 trailer cut off: only the end tells.
    const cut = packed.subarray(0, packed.length - 4);
    expect(stream.begin(cut.length, readerOf(cut)) && stream.fill(all)).toBe(true);
    expect(stream.end()).toBe(false);
    const withTail = Buffer.concat([packed, Buffer.from([1, 2, 3])]);
    expect(stream.begin(withTail.length, readerOf(withTail)) && stream.fill(all)).toBe(true);
    expect(stream.end()).toBe(false);
    // More asked for than the stream holds; less taken than it holds.
    expect(stream.begin(packed.length, readerOf(packed)) && stream.fill(new Uint8Array(original.length + 1))).toBe(
      false,
    );
    expect(stream.begin(packed.length, readerOf(packed)) && stream.fill(new Uint8Array(original.length - 1))).toBe(
      true,
    );
    expect(stream.end()).toBe(false);
    // And it works again afterwards.
    expect(stream.begin(packed.length, readerOf(packed)) && stream.fill(all) && stream.end()).toBe(true);
  });
});

describe('a chunk stream passing its bytes on', () => {
  const original = Uint8Array.from({ length: 40_000 }, (_, i) => ((i * 2654435761) >>> 13) & (i % 5 ? 0x0f : 0xff));
  const packed = deflateSync(original);

  it('hands them over a room at a time, and no stream that is not whole and right passes', () => {
    const stream = new ChunkStream();
    const room = new Uint8Array(1000);
    const got: Buffer[] = [];
    const keep = (part: Uint8Array): boolean => {
      got.push(Buffer.from(part));
      return true;
    };
    expect(stream.begin(packed.length, readerOf(packed)) && stream.pass(original.length, room, keep)).toBe(true);
    expect(stream.end()).toBe(true);
    expect(Buffer.concat(got).equals(Buffer.from(original))).toBe(true);
    expect(got.every((part) => part.length === room.length)).toBe(true);
    for (const [bad, expected] of badStreams(packed, original.length)) {
      const passed = stream.begin(bad.length, readerOf(bad)) && stream.pass(expected, room, () => true) && stream.end();
      expect(passed).toBe(false);
    }
    // The room exactly full at the end of the data, with and without the trailer.
    const exact = new Uint8Array(original.length / 8);
    const cut = packed.subarray(0, packed.length - 4);
    expect(stream.begin(packed.length, readerOf(packed)) && stream.pass(original.length, exact, () => true)).toBe(true);
    expect(stream.end()).toBe(true);
    expect(stream.begin(cut.length, readerOf(cut)) && stream.pass(original.length, exact, () => true)).toBe(true);
    expect(stream.end()).toBe(false);
    // A visitor that wants no more stops it.
    let calls = 0;
    expect(stream.begin(packed.length, readerOf(packed)) && stream.pass(original.length, room, () => ++calls < 3)).toBe(
      false,
    );
    expect(calls).toBe(3);
  });
});

describe('regions of shuffled chunks read while the last byte plane inflates', () => {
  const dir = tempDir();
  const [rows, cols] = [300, 400];
  const values = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i / 97) * 1000 + (i % 13) / 7);
  const labels = Int16Array.from({ length: rows * cols }, (_, i) => ((i * 7919) % 65_536) - 32_768);

  async function product(): Promise<{ phase: ChunkSourceDescriptor; labels: ChunkSourceDescriptor; file: string }> {
    const file = join(dir, 'streamed.nc');
    await writeNetcdf(file, {
      dimensions: { y: rows, x: cols },
      variables: (
        [
          ['phase', 'f4', values],
          ['labels', 'i2', labels],
        ] as const
      ).map(([name, dtype, data]) => ({
        name,
        dtype,
        dimensions: ['y', 'x'],
        data,
        chunks: [rows, cols],
        deflate: 4,
        shuffle: true,
      })),
    });
    const reader = await H5wasmProductReader.open(file);
    const [phase, labelsSource] = [reader.sourceFor('/phase'), reader.sourceFor('/labels')];
    reader.close();
    if (phase.kind !== 'chunks' || labelsSource.kind !== 'chunks') throw new Error('expected direct chunk reads');
    return { phase, labels: labelsSource, file };
  }

  const expected = (data: Float32Array | Int16Array, r0: number, c0: number, h: number, w: number): number[][] =>
    Array.from({ length: h }, (_, r) => Array.from(data.subarray((r0 + r) * cols + c0, (r0 + r) * cols + c0 + w)));

  it('gives every row in order, rows out of order, and regions inside the chunk', async () => {
    const { phase, labels: labelSource } = await product();
    for (const [descriptor, data] of [
      [phase, values],
      [labelSource, labels],
    ] as const) {
      const source = await openSource(descriptor);
      const inOrder = Array.from({ length: rows }, (_, r) => r);
      expect(readRows(source.read([0, 0], [rows, cols]), inOrder)).toEqual(expected(data, 0, 0, rows, cols));
      const backwards = [...inOrder].reverse();
      expect(readRows(source.read([0, 0], [rows, cols]), backwards)).toEqual(expected(data, 0, 0, rows, cols));
      const inside = Array.from({ length: 90 }, (_, r) => r);
      expect(readRows(source.read([17, 33], [90, 250]), inside)).toEqual(expected(data, 17, 33, 90, 250));
      // A region that ends before the chunk does, read twice (as the labels of a phase layer are): the second
      // reading must not see the bytes skipped to check the stream's end.
      const top = source.read([0, 7], [3, 200]);
      expect(readRows(top, [0, 1, 2])).toEqual(expected(data, 0, 7, 3, 200));
      expect(readRows(top, [0, 1, 2])).toEqual(expected(data, 0, 7, 3, 200));
      expect(readRows(top, [2])[2]).toEqual(expected(data, 2, 7, 1, 200)[0]);
      // Every other row, then the skipped ones.
      const gappy = [...inside.filter((r) => r % 2 === 0), ...inside.filter((r) => r % 2 === 1)];
      expect(readRows(source.read([17, 33], [90, 250]), gappy)).toEqual(expected(data, 17, 33, 90, 250));
      source.close();
    }
  });

  it('refuses a chunk damaged in its last byte plane as the whole-chunk decode would', async () => {
    const { phase, file } = await product();
    // Stored bytes said to lie past the end of the file.
    const beyond = { ...phase.table, addresses: phase.table.addresses.map((a) => a + 10_000_000) };
    const outside = await openSource({ ...phase, table: beyond });
    expect(() => outside.read([0, 0], [rows, cols])).toThrow(
      /damaged: stored data of chunk \[0, 0\]: .*outside the file/,
    );
    outside.close();
    const bytes = readFileSync(file);
    const address = phase.table.addresses[0]!;
    const size = phase.table.sizes[0]!;
    for (const [name, at] of [
      ['late.nc', address + size - 20],
      ['trailer.nc', address + size - 2],
    ] as const) {
      const damaged = Buffer.from(bytes);
      damaged[at]! ^= 0x5a;
      writeFileSync(join(dir, name), damaged);
      const source = await openSource({ ...phase, file: join(dir, name) });
      expect(() =>
        readRows(
          source.read([0, 0], [rows, cols]),
          Array.from({ length: rows }, (_, r) => r),
        ),
      ).toThrow(/damaged: stored data of chunk \[0, 0\]/);
      source.close();
    }
  });
});

describe('chunk regions against the data they hold, on random regions and reading orders', () => {
  const dir = tempDir();
  const [rows, cols] = [400, 450];
  let state = 12345;
  const random = (n: number): number => {
    state = (state * 1103515245 + 12345) >>> 0;
    return (state >>> 8) % n;
  };
  // Smooth values (streamed), blocky labels (runs), and noisy 16-bit values (streamed, too many runs).
  const data = {
    smooth: Float32Array.from({ length: rows * cols }, (_, i) => Math.cos(i / 53) * 300 + (i % 7)),
    blocks: Int16Array.from(
      { length: rows * cols },
      (_, i) => Math.floor(i / cols / 40) * 9 - Math.floor((i % cols) / 70),
    ),
    noise: Uint16Array.from({ length: rows * cols }, (_, i) => (i * 40503) & 0xffff),
  } as const;
  const dtypes = { smooth: 'f4', blocks: 'i2', noise: 'u2' } as const;

  it('reads every region right however its rows are read (streamed, as runs, or decoded whole)', async () => {
    const file = join(dir, 'random.nc');
    // Chunks whose last plane is larger than the 64 KiB window, and smaller ones.
    const chunkings = [
      [400, 450],
      [256, 300],
      [50, 80],
    ] as const;
    await writeNetcdf(file, {
      dimensions: { y: rows, x: cols },
      variables: chunkings.flatMap((chunks, k) =>
        (Object.keys(data) as (keyof typeof data)[]).map((name) => ({
          name: `${name}${k}`,
          dtype: dtypes[name],
          dimensions: ['y', 'x'],
          data: data[name],
          chunks: [...chunks],
          deflate: 4,
          shuffle: true,
        })),
      ),
    });
    const reader = await H5wasmProductReader.open(file);
    try {
      for (let k = 0; k < chunkings.length; k++) {
        for (const name of Object.keys(data) as (keyof typeof data)[]) {
          const source = await openSource(reader.sourceFor(`/${name}${k}`));
          for (let trial = 0; trial < 12; trial++) {
            const [r0, c0] = [random(rows), random(cols)];
            const [h, w] = [1 + random(rows - r0), 1 + random(cols - c0)];
            const view = source.read([r0, c0], [h, w]);
            const inOrder = Array.from({ length: h }, (_, r) => r);
            // In order twice (as the reference labels are), then a random order with repeats.
            const orders = [inOrder, inOrder, Array.from({ length: h + 3 }, () => random(h))];
            const row = new Float64Array(w);
            for (const order of orders) {
              for (const r of order) {
                view.readRow(r, row);
                const at = (r0 + r) * cols + c0;
                expect(Array.from(row), `${name}${k} [${r0}, ${c0}] [${h}, ${w}] row ${r}`).toEqual(
                  Array.from(data[name].subarray(at, at + w)),
                );
              }
            }
            view.release?.();
          }
          source.close();
        }
      }
    } finally {
      reader.close();
    }
  });
});
