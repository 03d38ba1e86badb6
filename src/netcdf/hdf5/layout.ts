import { readUnsigned } from './file-bytes.js';
import { Hdf5FormatError } from './errors.js';

/** Where and how a dataset's raw data is stored, as far as the chunk locator reads it. */
export type DataLayout =
  | { readonly kind: 'btree-v1'; readonly address: number; readonly chunks: number[]; readonly elementSize: number }
  | {
      readonly kind: 'single-chunk';
      readonly address: number;
      readonly chunks: number[];
      readonly elementSize: number;
      readonly storedSize: number | null;
      readonly filterMask: number;
    }
  | { readonly kind: 'contiguous'; readonly address: number; readonly size: number }
  /** Compact storage, no data written yet (fill values), or a chunk index other than a version-1 B-tree. */
  | { readonly kind: 'other'; readonly reason: string };

function need(data: Buffer, bytes: number): void {
  if (data.length < bytes)
    throw new Hdf5FormatError(`data layout message is ${data.length} bytes, too short for what it declares`);
}

/** Chunk dimensions, the last of which is the element size; zero or undefined sizes are damage. */
function dims(data: Buffer, at: number, count: number, width: number): number[] {
  need(data, at + count * width);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const size = readUnsigned(data, at + i * width, width);
    if (!(size >= 1) || !Number.isFinite(size)) throw new Hdf5FormatError(`chunk dimension ${i} is ${size}`);
    out.push(size);
  }
  return out;
}

function chunked(address: number, all: number[]): DataLayout {
  if (all.length < 2) throw new Hdf5FormatError(`chunked layout with ${all.length} dimensions`);
  if (!Number.isFinite(address)) return { kind: 'other', reason: 'no chunk was written' };
  return { kind: 'btree-v1', address, chunks: all.slice(0, -1), elementSize: all.at(-1)! };
}

/** Decode an HDF5 data layout message (versions 1-4). Anything malformed is damage. */
export function parseLayout(data: Buffer, offsetSize: number, lengthSize: number): DataLayout {
  need(data, 2);
  const version = data[0];
  if (version === 1 || version === 2) {
    need(data, 8 + offsetSize);
    const dimensionality = data[1]!;
    const layoutClass = data[2];
    if (layoutClass !== 2) return { kind: 'other', reason: `layout class ${layoutClass} (message version ${version})` };
    return chunked(readUnsigned(data, 8, offsetSize), dims(data, 8 + offsetSize, dimensionality, 4));
  }
  if (version !== 3 && version !== 4) throw new Hdf5FormatError(`data layout message version ${version}`);
  const layoutClass = data[1];
  if (layoutClass === 0) return { kind: 'other', reason: 'compact storage' };
  if (layoutClass === 1) {
    need(data, 2 + offsetSize + lengthSize);
    const address = readUnsigned(data, 2, offsetSize);
    if (!Number.isFinite(address)) return { kind: 'other', reason: 'no data was written' };
    return { kind: 'contiguous', address, size: readUnsigned(data, 2 + offsetSize, lengthSize) };
  }
  if (layoutClass === 3) return { kind: 'other', reason: 'virtual dataset' };
  if (layoutClass !== 2) throw new Hdf5FormatError(`data layout class ${layoutClass}`);
  if (version === 3) {
    need(data, 3 + offsetSize);
    return chunked(readUnsigned(data, 3, offsetSize), dims(data, 3 + offsetSize, data[2]!, 4));
  }
  need(data, 5);
  const flags = data[2]!;
  const dimensionality = data[3]!;
  const width = data[4]!;
  const all = dims(data, 5, dimensionality, width);
  let p = 5 + dimensionality * width;
  need(data, p + 1);
  const indexType = data[p++];
  if (indexType !== 1) return { kind: 'other', reason: `chunk index type ${indexType}` };
  let storedSize: number | null = null;
  let filterMask = 0;
  if (flags & 0x02) {
    need(data, p + lengthSize + 4);
    storedSize = readUnsigned(data, p, lengthSize);
    filterMask = data.readUInt32LE(p + lengthSize);
    p += lengthSize + 4;
  }
  need(data, p + offsetSize);
  const address = readUnsigned(data, p, offsetSize);
  if (!Number.isFinite(address)) return { kind: 'other', reason: 'no chunk was written' };
  if (all.length < 2) throw new Hdf5FormatError(`chunked layout with ${all.length} dimensions`);
  return { kind: 'single-chunk', address, chunks: all.slice(0, -1), elementSize: all.at(-1)!, storedSize, filterMask };
}
