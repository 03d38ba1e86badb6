import { readUnsigned } from './file-bytes.js';

/** Where and how a dataset's raw data is stored, as far as the fast chunk reader cares. */
export type DataLayout =
  | { readonly kind: 'btree-v1'; readonly address: number; readonly chunks: number[]; readonly elementSize: number }
  | { readonly kind: 'single-chunk'; readonly address: number; readonly chunks: number[]; readonly storedSize: number | null; readonly filterMask: number }
  | { readonly kind: 'contiguous'; readonly address: number; readonly size: number }
  | { readonly kind: 'other'; readonly reason: string };

export const LAYOUT_MESSAGE = 0x08;

function dims(data: Buffer, at: number, count: number, width: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(readUnsigned(data, at + i * width, width));
  return out;
}

/** Decode an HDF5 data layout message (versions 1-4). */
export function parseLayout(data: Buffer, offsetSize: number, lengthSize: number): DataLayout {
  const version = data[0];
  if (version === 1 || version === 2) {
    const dimensionality = data[1] ?? 0;
    const layoutClass = data[2];
    if (layoutClass !== 2) return { kind: 'other', reason: `layout class ${layoutClass}` };
    const address = readUnsigned(data, 8, offsetSize);
    const all = dims(data, 8 + offsetSize, dimensionality, 4);
    return { kind: 'btree-v1', address, chunks: all.slice(0, -1), elementSize: all.at(-1) ?? 0 };
  }
  if (version === 3 || version === 4) {
    if (data[1] === 1) {
      const address = readUnsigned(data, 2, offsetSize);
      if (!Number.isFinite(address)) return { kind: 'other', reason: 'contiguous storage never written' };
      return { kind: 'contiguous', address, size: readUnsigned(data, 2 + offsetSize, lengthSize) };
    }
  }
  if (version === 3) {
    const layoutClass = data[1];
    if (layoutClass !== 2) return { kind: 'other', reason: `layout class ${layoutClass}` };
    const dimensionality = data[2] ?? 0;
    const address = readUnsigned(data, 3, offsetSize);
    const all = dims(data, 3 + offsetSize, dimensionality, 4);
    return { kind: 'btree-v1', address, chunks: all.slice(0, -1), elementSize: all.at(-1) ?? 0 };
  }
  if (version === 4) {
    const layoutClass = data[1];
    if (layoutClass !== 2) return { kind: 'other', reason: `layout class ${layoutClass}` };
    const flags = data[2] ?? 0;
    const dimensionality = data[3] ?? 0;
    const width = data[4] ?? 8;
    const all = dims(data, 5, dimensionality, width);
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
      return { kind: 'single-chunk', address: readUnsigned(data, p, offsetSize), chunks: all.slice(0, -1), storedSize, filterMask };
    }
    return { kind: 'other', reason: `chunk index type ${indexType}` };
  }
  return { kind: 'other', reason: `layout message version ${version}` };
}
