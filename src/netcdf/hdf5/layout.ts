import { readUnsigned } from './file-bytes.js';

/** Where and how a dataset's raw data is stored, as far as this project reads it without HDF5. */
export type DataLayout =
  | { readonly kind: 'btree-v1'; readonly address: number; readonly chunks: number[]; readonly elementSize: number }
  | { readonly kind: 'single-chunk'; readonly address: number; readonly chunks: number[]; readonly storedSize: number | null; readonly filterMask: number }
  | { readonly kind: 'contiguous'; readonly address: number; readonly size: number }
  | { readonly kind: 'compact'; readonly data: Buffer }
  /** No data was ever written: every element reads as the fill value. `chunks` when the storage is chunked. */
  | { readonly kind: 'unallocated'; readonly chunks: number[] | null }
  | { readonly kind: 'other'; readonly reason: string; readonly chunks: number[] | null };

export const LAYOUT_MESSAGE = 0x08;

function dims(data: Buffer, at: number, count: number, width: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(readUnsigned(data, at + i * width, width));
  return out;
}

/** The chunk B-tree (or the one chunk) of a chunked layout, unless nothing was ever written. */
function chunked(address: number, all: number[]): DataLayout {
  const chunks = all.slice(0, -1);
  if (!Number.isFinite(address)) return { kind: 'unallocated', chunks };
  return { kind: 'btree-v1', address, chunks, elementSize: all.at(-1) ?? 0 };
}

/** Decode an HDF5 data layout message (versions 1-4). */
export function parseLayout(data: Buffer, offsetSize: number, lengthSize: number): DataLayout {
  const version = data[0];
  if (version === 1 || version === 2) {
    const dimensionality = data[1] ?? 0;
    const layoutClass = data[2];
    if (layoutClass !== 2) return { kind: 'other', reason: `layout class ${layoutClass} (message version ${version})`, chunks: null };
    return chunked(readUnsigned(data, 8, offsetSize), dims(data, 8 + offsetSize, dimensionality, 4));
  }
  if (version !== 3 && version !== 4) return { kind: 'other', reason: `layout message version ${version}`, chunks: null };
  const layoutClass = data[1];
  if (layoutClass === 0) {
    const size = data.readUInt16LE(2);
    return { kind: 'compact', data: data.subarray(4, 4 + size) };
  }
  if (layoutClass === 1) {
    const address = readUnsigned(data, 2, offsetSize);
    if (!Number.isFinite(address)) return { kind: 'unallocated', chunks: null };
    return { kind: 'contiguous', address, size: readUnsigned(data, 2 + offsetSize, lengthSize) };
  }
  if (layoutClass !== 2) return { kind: 'other', reason: `layout class ${layoutClass}`, chunks: null };
  if (version === 3) {
    const dimensionality = data[2] ?? 0;
    return chunked(readUnsigned(data, 3, offsetSize), dims(data, 3 + offsetSize, dimensionality, 4));
  }
  const flags = data[2] ?? 0;
  const dimensionality = data[3] ?? 0;
  const width = data[4] ?? 8;
  const chunks = dims(data, 5, dimensionality, width).slice(0, -1);
  let p = 5 + dimensionality * width;
  const indexType = data[p++];
  if (indexType === 1) {
    let storedSize: number | null = null;
    let filterMask = 0;
    if (flags & 0x02) {
      storedSize = readUnsigned(data, p, lengthSize);
      filterMask = data.readUInt32LE(p + lengthSize);
      p += lengthSize + 4;
    }
    const address = readUnsigned(data, p, offsetSize);
    if (!Number.isFinite(address)) return { kind: 'unallocated', chunks };
    return { kind: 'single-chunk', address, chunks, storedSize, filterMask };
  }
  return { kind: 'other', reason: `chunk index type ${indexType}`, chunks };
}

/** Chunk shape of a layout, or null when the storage is not chunked. */
export function chunkShape(layout: DataLayout): number[] | null {
  switch (layout.kind) {
    case 'btree-v1':
    case 'single-chunk':
      return layout.chunks;
    case 'unallocated':
    case 'other':
      return layout.chunks;
    default:
      return null;
  }
}
