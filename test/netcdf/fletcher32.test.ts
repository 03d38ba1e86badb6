import { spawnSync } from 'node:child_process';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeChunk, FILTER_DEFLATE, FILTER_FLETCHER32, FILTER_SHUFFLE } from '../../src/netcdf/chunks/decode.js';
import { fletcher32Matches } from '../../src/netcdf/chunks/fletcher32.js';
import { Hdf5FormatError } from '../../src/netcdf/hdf5/errors.js';
import { hasPythonModules, PYTHON } from '../helpers/tools.js';

/**
 * HDF5's Fletcher-32 (filter 3) is checked against chunks HDF5 itself wrote: h5py writes datasets whose only
 * filter is fletcher32, in even and odd chunk lengths, and hands back each stored chunk as HDF5 stored it.
 */
const canRun = hasPythonModules('h5py', 'numpy');

const WRITE_CHUNKS = `
import base64, io, json, h5py, numpy as np
out = []
buffer = io.BytesIO()
with h5py.File(buffer, "w") as f:
    for name, dtype, n, chunk in [("bytes", "u1", 1001, 333), ("odd", "u1", 7, 7), ("floats", "f4", 500, 128), ("wide", "f8", 90, 45)]:
        d = f.create_dataset(name, data=(np.arange(n) * 37 % 251).astype(dtype) * 1.5 if dtype[0] == "f" else (np.arange(n) * 37 % 251).astype(dtype), chunks=(chunk,), fletcher32=True)
        for i in range(d.id.get_num_chunks()):
            info = d.id.get_chunk_info(i)
            mask, raw = d.id.read_direct_chunk(info.chunk_offset)
            out.append(base64.b64encode(raw).decode())
print(json.dumps(out))
`;

describe.skipIf(!canRun)('fletcher32 as HDF5 writes it', () => {
  const chunks = canRun
    ? (JSON.parse(spawnSync(PYTHON, ['-c', WRITE_CHUNKS], { encoding: 'utf8' }).stdout) as string[]).map(
        (b) => new Uint8Array(Buffer.from(b, 'base64')),
      )
    : [];

  it('accepts every chunk HDF5 wrote, of even and odd lengths', () => {
    expect(chunks.length).toBeGreaterThan(8);
    expect(chunks.some((c) => c.length % 2 === 1)).toBe(true);
    for (const chunk of chunks) expect(fletcher32Matches(chunk)).toBe(true);
  });

  it('refuses each chunk with any one byte changed, data or checksum', () => {
    for (const chunk of chunks) {
      for (const at of [0, Math.floor(chunk.length / 2), chunk.length - 5, chunk.length - 1]) {
        const damaged = Uint8Array.from(chunk);
        damaged[at]! ^= 0x5a;
        expect(fletcher32Matches(damaged), `byte ${at} of ${chunk.length}`).toBe(false);
      }
    }
  });
});

describe('fletcher32 in the filter pipeline', () => {
  it('checks the checksum netCDF-C places before shuffle and deflate, and refuses a chunk whose checksum fails', () => {
    // netCDF-C's order: fletcher32 first (on the raw values), then shuffle, then deflate; the inflated size is the
    // chunk plus the 4-byte checksum.
    const values = new Uint8Array(new Float32Array(Array.from({ length: 64 }, (_, i) => Math.cos(i))).buffer);
    const withSum = new Uint8Array(values.length + 4);
    withSum.set(values);
    const sum = fletcherOf(values);
    new DataView(withSum.buffer).setUint32(values.length, sum, true);
    expect(fletcher32Matches(withSum)).toBe(true);
    const stored = deflateSync(withSum);
    expect(Array.from(decodeChunk(stored, [FILTER_FLETCHER32, FILTER_DEFLATE], 0, values.length, 4).bytes)).toEqual(
      Array.from(values),
    );
    withSum[3]! ^= 1;
    expect(() => decodeChunk(deflateSync(withSum), [FILTER_FLETCHER32, FILTER_DEFLATE], 0, values.length, 4)).toThrow(
      Hdf5FormatError,
    );
    expect(() =>
      decodeChunk(deflateSync(withSum), [FILTER_FLETCHER32, FILTER_SHUFFLE, FILTER_DEFLATE], 0b010, values.length, 4),
    ).toThrow(/fletcher32/);
  });
});

/** Fletcher-32 written independently of the project's (the textbook two-sum form over big-endian 16-bit words). */
function fletcherOf(data: Uint8Array): number {
  let a = 0;
  let b = 0;
  for (let i = 0; i < data.length; i += 2) {
    const word = (data[i]! << 8) | (i + 1 < data.length ? data[i + 1]! : 0);
    a = (a + word) % 65535;
    b = (b + a) % 65535;
  }
  return ((b << 16) | a) >>> 0;
}
