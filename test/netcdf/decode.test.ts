import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeChunk, FILTER_DEFLATE, FILTER_SHUFFLE, unshuffle } from '../../src/netcdf/chunks/decode.js';
import { shuffledView } from '../../src/netcdf/chunks/shuffled-view.js';

/** HDF5's shuffle filter, written out plainly: byte k of every element, for k = 0 .. size-1, then leftovers. */
function shuffle(bytes: Uint8Array, size: number): Uint8Array {
  const count = Math.floor(bytes.length / size);
  const out = new Uint8Array(bytes.length);
  for (let k = 0; k < size; k++) for (let i = 0; i < count; i++) out[k * count + i] = bytes[i * size + k]!;
  out.set(bytes.subarray(count * size), count * size);
  return out;
}

const random = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 24);

describe('chunk decoding', () => {
  it.each([1, 2, 3, 4, 8])('unshuffles %i-byte elements, including bytes left over after whole elements', (size) => {
    const original = random(size * 37 + (size > 1 ? 1 : 0));
    expect(unshuffle(shuffle(original, size), size)).toEqual(original);
  });

  it('reverses shuffle then deflate, honouring a filter mask that skipped deflate', () => {
    const original = new Uint8Array(new Float32Array(Array.from({ length: 100 }, (_, i) => Math.sin(i))).buffer);
    const stored = deflateSync(shuffle(original, 4));
    expect(decodeChunk(stored, [FILTER_SHUFFLE, FILTER_DEFLATE], 0, 400, 4)).toEqual({
      bytes: original,
      shuffled: false,
    });
    const deferred = decodeChunk(stored, [FILTER_SHUFFLE, FILTER_DEFLATE], 0, 400, 4, true);
    expect(deferred.shuffled).toBe(true);
    expect(decodeChunk(shuffle(original, 4), [FILTER_SHUFFLE, FILTER_DEFLATE], 0b10, 400, 4).bytes).toEqual(original);
    expect(() => decodeChunk(stored, [FILTER_SHUFFLE, FILTER_DEFLATE], 0, 404, 4)).toThrow(
      /inflates to 400 bytes, the chunk holds 404/,
    );
    expect(() => decodeChunk(shuffle(original, 4), [FILTER_SHUFFLE, FILTER_DEFLATE], 0b10, 404, 4)).toThrow(
      /decodes to 400 bytes, the chunk holds 404/,
    );
    expect(() => decodeChunk(stored, [FILTER_SHUFFLE, 32_001], 0, 400, 4)).toThrow(/filter 32001 is not supported/);
  });

  it('reads rows of a region from still-shuffled bytes, on and off 4-element boundaries', () => {
    const values = Float32Array.from({ length: 12 * 10 }, (_, i) => i * 0.5 - 7);
    const planes = shuffle(new Uint8Array(values.buffer), 4);
    const row = new Float64Array(7);
    for (const [r0, c0] of [
      [0, 0],
      [2, 4],
      [3, 1],
    ] as const) {
      const view = shuffledView(planes, 'f4', values.length, [10, 1], r0 * 10 + c0, [4, 7]);
      expect(view.rows).toBe(4);
      for (let r = 0; r < 4; r++) {
        view.readRow(r, row);
        expect(Array.from(row)).toEqual(Array.from(values.subarray((r0 + r) * 10 + c0, (r0 + r) * 10 + c0 + 7)));
      }
    }
  });
});
