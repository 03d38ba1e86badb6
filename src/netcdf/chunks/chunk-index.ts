import { statSync } from 'node:fs';
import type { NcVariable, NumericDType } from '../model.js';
import type { ChunkSourceDescriptor, ChunkTable, ContiguousSourceDescriptor } from '../reader.js';
import { FileBytes } from '../hdf5/file-bytes.js';
import { readChunkBtree, type ChunkRecord } from '../hdf5/btree-v1.js';
import { LAYOUT_MESSAGE, parseLayout, type DataLayout } from '../hdf5/layout.js';
import { readHeaderMessages } from '../hdf5/object-header.js';
import { readSuperblock } from '../hdf5/superblock.js';

export type ChunkIndexResult =
  | { readonly table: ChunkTable }
  | { readonly contiguous: { readonly position: number; readonly size: number } }
  | { readonly unsupported: string };

function gridOf(shape: readonly number[], chunks: readonly number[]): number[] {
  return shape.map((s, d) => Math.ceil(s / (chunks[d] ?? 1)));
}

function tableFrom(records: readonly ChunkRecord[], shape: readonly number[], chunks: readonly number[]): ChunkIndexResult {
  const grid = gridOf(shape, chunks);
  const total = grid.reduce((n, g) => n * g, 1);
  const addresses = new Float64Array(total).fill(-1);
  const sizes = new Float64Array(total);
  const filterMasks = new Uint32Array(total);
  for (const record of records) {
    let linear = 0;
    for (let d = 0; d < grid.length; d++) {
      const offset = record.offsets[d] ?? 0;
      const chunk = chunks[d] ?? 1;
      if (offset % chunk !== 0) return { unsupported: 'chunk offset not on the chunk grid' };
      linear = linear * (grid[d] ?? 1) + offset / chunk;
    }
    if (linear >= total) continue; // chunks beyond a shrunk extent are dead storage
    addresses[linear] = record.address;
    sizes[linear] = record.storedSize;
    filterMasks[linear] = record.filterMask;
  }
  // Unallocated chunks read as the HDF5 fill value, which only the HDF5 library knows: leave those to h5wasm.
  if (addresses.some((a) => a < 0)) return { unsupported: 'some chunks are not allocated' };
  return { table: { grid, addresses, sizes, filterMasks } };
}

/**
 * Where the raw data of a dataset with this layout is: every chunk (chunked storage) or the one block (contiguous
 * storage), so data can be read and inflated outside HDF5. Returns `unsupported` (with why) for layouts the fast
 * path does not handle; callers then read through HDF5.
 */
export function locateData(file: FileBytes, layout: DataLayout, shape: readonly number[], elementSize: number): ChunkIndexResult {
  if (layout.kind === 'other') return { unsupported: layout.reason };
  if (layout.kind === 'compact') return { unsupported: 'compact storage' };
  if (layout.kind === 'unallocated') return { unsupported: 'no data was written' };
  if (layout.kind === 'contiguous') {
    const expected = shape.reduce((n, s) => n * s, elementSize);
    if (layout.size !== expected) return { unsupported: 'contiguous storage size differs from the dataset size' };
    return { contiguous: { position: file.baseAddress + layout.address, size: layout.size } };
  }
  if (layout.chunks.length !== shape.length) return { unsupported: 'chunk rank differs from dataset rank' };
  if (layout.kind === 'btree-v1') {
    if (layout.elementSize !== elementSize) return { unsupported: 'element size differs from the datatype' };
    if (shape.some((s) => s === 0)) return { unsupported: 'empty dataset' };
    return tableFrom(readChunkBtree(file, layout.address, shape.length), shape, layout.chunks);
  }
  const bytes = layout.chunks.reduce((n, c) => n * c, elementSize);
  const record: ChunkRecord = {
    offsets: shape.map(() => 0),
    storedSize: layout.storedSize ?? bytes,
    filterMask: layout.filterMask,
    address: layout.address,
  };
  return tableFrom([record], shape, layout.chunks);
}

/** {@link locateData} for the dataset whose object header is at `objectAddress` in the file at `path`. */
export function buildChunkIndex(path: string, objectAddress: number, shape: readonly number[], elementSize: number): ChunkIndexResult {
  const file = new FileBytes(path);
  try {
    readSuperblock(file, statSync(path).size);
    const message = readHeaderMessages(file, objectAddress).find((m) => m.type === LAYOUT_MESSAGE);
    if (!message) return { unsupported: 'no data layout message' };
    return locateData(file, parseLayout(message.data, file.offsetSize, file.lengthSize), shape, elementSize);
  } finally {
    file.close();
  }
}

/**
 * How to read a little-endian numeric variable straight from the file, given where its data is: its chunk table,
 * or its contiguous block when it is not filtered. Null when it cannot be read that way.
 */
export function directSource(file: string, variable: NcVariable & { dtype: NumericDType }, located: ChunkIndexResult): ChunkSourceDescriptor | ContiguousSourceDescriptor | null {
  const { path, dtype, shape } = variable;
  const chunks = variable.storage.chunks;
  const filters = variable.storage.filters.map((f) => f.id);
  if ('table' in located && chunks) return { kind: 'chunks', file, variable: path, dtype, shape, chunks, filters, table: located.table };
  if ('contiguous' in located && filters.length === 0) return { kind: 'contiguous', file, variable: path, dtype, shape, position: located.contiguous.position };
  return null;
}
