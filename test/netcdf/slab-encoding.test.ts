import { join } from 'node:path';
import { inflateSync, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  encodeSlab,
  extractChunk,
  fillChunk,
  shuffleBytes,
  type EncodedSlab,
  type SlabTask,
} from '../../src/netcdf/chunks/slab-encoding.js';
import type * as EncoderPool from '../../src/netcdf/chunks/encoder-pool.js';
import { Deflater, deflateBound } from '../../src/netcdf/chunks/deflate.js';

/** The chunks of a slab the slow way: cut out, shuffled and deflated one by one, as HDF5 would store them. */
function reference(task: SlabTask): Uint8Array[] {
  const fill = fillChunk(task.chunks, task.elementSize, task.fill);
  return task.origins.map((origin) => {
    const chunk = extractChunk(task.slab, task.slabShape, origin, task.chunks, task.elementSize, fill);
    const shuffled = task.shuffle ? shuffleBytes(chunk, task.elementSize) : chunk;
    return task.deflateLevel === null ? shuffled : deflateSync(shuffled, { level: task.deflateLevel });
  });
}

function split(encoded: EncodedSlab): Uint8Array[] {
  let at = 0;
  return encoded.sizes.map((size) => encoded.bytes.subarray(at, (at += size)));
}

/** A slab of `rows` × `columns` values with edge chunks on both axes (chunks 4 × 5). */
function task(view: Float32ArrayConstructor | Int16ArrayConstructor, rows: number, columns: number): SlabTask {
  const values = new view(rows * columns);
  for (let i = 0; i < values.length; i++) values[i] = view === Float32Array ? Math.sin(i) * 1000 : (i * 7919) % 3001;
  const chunks = [4, 5];
  const origins: number[][] = [];
  for (let c = 0; c < columns; c += chunks[1]!) origins.push([0, c]);
  const fill = new Uint8Array(new view([view === Float32Array ? Number.NaN : -1]).buffer);
  return {
    slab: new Uint8Array(values.buffer),
    slabShape: [rows, columns],
    origins,
    chunks,
    elementSize: values.BYTES_PER_ELEMENT,
    fill,
    shuffle: true,
    deflateLevel: 4,
  };
}

describe('slab encoding', () => {
  it.each([
    ['float32 (the one-pass cut and shuffle)', Float32Array],
    ['int16 (cut, then shuffle)', Int16Array],
  ] as const)(
    'stores %s chunks byte for byte as cut + shuffle + deflate, edge chunks padded with the fill',
    (_, view) => {
      const slab = task(view, 3, 12);
      const encoded = encodeSlab(slab);
      expect(encoded.sizes).toHaveLength(3);
      expect(split(encoded).map((c) => Buffer.from(c).toString('hex'))).toEqual(
        reference(slab).map((c) => Buffer.from(c).toString('hex')),
      );
      // The last chunk's last column and fourth row are outside the slab: they hold the fill value.
      const last = new Uint8Array(inflateSync(split(encoded)[2]!));
      const unshuffled = new Uint8Array(last.length);
      const n = last.length / slab.elementSize;
      for (let k = 0; k < slab.elementSize; k++)
        for (let i = 0; i < n; i++) unshuffled[i * slab.elementSize + k] = last[k * n + i]!;
      const values = new view(unshuffled.buffer);
      expect(values[3 * 5 + 0]).toEqual(view === Float32Array ? Number.NaN : -1);
      expect(values[4]).toEqual(view === Float32Array ? Number.NaN : -1);
      expect(values[0]).toEqual(new view(slab.slab.buffer as ArrayBuffer)[10]);
    },
  );

  it('shuffles float32 chunks in the SIMD kernel bit for bit: NaN payloads, sixteen-value blocks and the tail', () => {
    // 5 × 7 chunks: two blocks of sixteen values and a tail of three; the slab's words include NaNs with payloads,
    // negative zero and infinities, which a round trip through JavaScript numbers could change.
    const words = new Uint32Array(9 * 23);
    let state = 12345;
    for (let i = 0; i < words.length; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      words[i] = [0x7fc00001, 0xffa5a5a5, 0x80000000, 0x7f800000, state][i % 5]!;
    }
    const slab: SlabTask = {
      slab: new Uint8Array(words.buffer),
      slabShape: [9, 23],
      origins: [0, 7, 14, 21].map((c) => [0, c]),
      chunks: [5, 7],
      elementSize: 4,
      fill: new Uint8Array(new Uint32Array([0x7fc0beef]).buffer),
      shuffle: true,
      deflateLevel: null,
    };
    expect(split(encodeSlab(slab)).map((c) => Buffer.from(c).toString('hex'))).toEqual(
      reference(slab).map((c) => Buffer.from(c).toString('hex')),
    );
  });

  it('deflates chunk after chunk through one reset zlib stream into the same bytes deflateSync makes', () => {
    let state = 7;
    const chunk = (n: number, repeat: number): Uint8Array =>
      Uint8Array.from({ length: n }, (_, i) => {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        return i % repeat === 0 ? state >>> 24 : i & 0xff;
      });
    for (const level of [1, 4, 9]) {
      const deflater = new Deflater(level);
      const inputs = [chunk(70_000, 3), chunk(5, 1), chunk(0, 1), chunk(262_144, 1), chunk(40_000, 50)];
      const output = new Uint8Array(inputs.reduce((n, c) => n + deflateBound(c.length), 0));
      let at = 0;
      for (const input of inputs) {
        const size = deflater.deflateInto(input, output, at);
        expect(deflater.lastPath).toBe('direct');
        expect(Buffer.from(output.subarray(at, at + size)).equals(deflateSync(input, { level }))).toBe(true);
        at += size;
      }
    }
    expect(() => new Deflater(4).deflateInto(new Uint8Array(100), new Uint8Array(50), 0)).toThrow(RangeError);
  });

  it('stores chunks without deflate as the shuffled bytes themselves', () => {
    const slab = { ...task(Float32Array, 4, 5), deflateLevel: null };
    expect(Buffer.from(encodeSlab(slab).bytes).equals(Buffer.from(reference(slab)[0]!))).toBe(true);
  });
});

/** Worker threads run the built worker script: this part drives the built library, as the CLI does. */
describe('the slab encoder threads', () => {
  const LIB = join(import.meta.dirname, '../../lib');

  it('encode on worker threads exactly as in this thread, move owned slabs and copy borrowed ones', async () => {
    const { slabEncoder, inlineEncoder } = (await import(
      join(LIB, 'netcdf/chunks/encoder-pool.js')
    )) as typeof EncoderPool;
    const threads = slabEncoder(2);
    try {
      expect(threads.window).toBe(3);
      const tasks = [task(Float32Array, 4, 12), task(Int16Array, 3, 11), task(Float32Array, 1, 5)];
      const here = await Promise.all(tasks.map((t) => inlineEncoder().encode(false, t)));
      const borrowed = tasks[0]!.slab;
      const owned = tasks[1]!.slab;
      const ownedBytes = Buffer.from(owned);
      const there = await Promise.all(tasks.map((t, i) => threads.encode(i === 1, t)));
      expect(there.map((e) => Buffer.from(e.bytes).toString('hex'))).toEqual(
        here.map((e) => Buffer.from(e.bytes).toString('hex')),
      );
      expect(there.map((e) => e.sizes)).toEqual(here.map((e) => e.sizes));
      expect(borrowed.byteLength).toBe(4 * 12 * 4);
      expect(owned.byteLength).toBe(0);
      // The moved slab comes back whole and unchanged, for the writer to lend again.
      expect(Buffer.from(there[1]!.slab).equals(ownedBytes)).toBe(true);
      expect(there[1]!.slab.byteOffset).toBe(0);
      expect(there[1]!.slab.buffer.byteLength).toBe(3 * 11 * 2);
      // Written-out stored chunks go back to a thread for a later slab instead of a new buffer each time.
      const written = there[0]!.bytes.buffer;
      threads.recycle(there[0]!.bytes);
      const again = await threads.encode(false, task(Float32Array, 4, 12));
      expect(written.byteLength).toBe(0);
      expect(Buffer.from(again.bytes).equals(Buffer.from(here[0]!.bytes))).toBe(true);
    } finally {
      await threads.close();
    }
  });

  it('reports a slab the threads cannot encode as a failure of that slab', async () => {
    const { slabEncoder } = (await import(join(LIB, 'netcdf/chunks/encoder-pool.js'))) as typeof EncoderPool;
    const threads = slabEncoder(1);
    try {
      const bad = { ...task(Float32Array, 2, 5), deflateLevel: 42 };
      await expect(threads.encode(false, bad)).rejects.toThrow(/chunk encoding failed: .*level/i);
      const good = await threads.encode(false, task(Float32Array, 2, 5));
      expect(good.sizes).toHaveLength(1);
    } finally {
      await threads.close();
    }
  });
});
