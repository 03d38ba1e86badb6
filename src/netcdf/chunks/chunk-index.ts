import { bytesPerElement, type NcVariable, type NumericDType } from '../model.js';
import type { ChunkSourceDescriptor, ChunkTable, ContiguousSourceDescriptor } from '../reader.js';
import { readChunkBtree, type ChunkRecord } from '../hdf5/btree-v1.js';
import { isMachineType } from '../hdf5/datatype.js';
import { Hdf5FormatError } from '../hdf5/errors.js';
import { FileBytes } from '../hdf5/file-bytes.js';
import { parseLayout } from '../hdf5/layout.js';
import { MESSAGE, readHeaderMessages, SHARED_MESSAGE_FLAG } from '../hdf5/object-header.js';
import { readSuperblock } from '../hdf5/superblock.js';

/**
 * Where a dataset's stored bytes are, so that they can be read and inflated outside HDF5 (much faster, and in
 * worker threads). HDF5 (h5wasm) has already read the dataset's metadata; this reads only its layout and chunk
 * index. The answer is a chunk table, a contiguous block, or `hdf5` with the reason to let HDF5 read the values
 * (storage that is legal but not handled here, or a type HDF5 converts while reading). A damaged chunk index is
 * an {@link Hdf5FormatError}: the chunks found here must be exactly those HDF5 would find, or none.
 */
export type DataLocation =
  | { readonly table: ChunkTable }
  | { readonly contiguous: { readonly position: number; readonly size: number } }
  | { readonly hdf5: string };

type NumericVariable = NcVariable & { readonly dtype: NumericDType };

/** The most a chunk of `bytes` can be stored as when filters ran: zlib's worst-case growth plus a checksum. */
function maxStoredSize(bytes: number, filtered: boolean): number {
  return filtered ? bytes + (bytes >> 10) + 1024 : bytes;
}

function tableFrom(records: readonly ChunkRecord[], shape: readonly number[], chunks: readonly number[]): DataLocation {
  const grid = shape.map((s, d) => Math.ceil(s / chunks[d]!));
  const total = grid.reduce((n, g) => n * g, 1);
  const addresses = new Float64Array(total).fill(-1);
  const sizes = new Float64Array(total);
  const filterMasks = new Uint32Array(total);
  for (const record of records) {
    let linear = 0;
    let inside = true;
    for (let d = 0; d < grid.length; d++) {
      const index = record.offsets[d]! / chunks[d]!;
      inside &&= index < grid[d]!;
      linear = linear * grid[d]! + index;
    }
    // A chunk beyond the dataset's extent (after it shrank) is never read, by HDF5 or here.
    if (!inside) continue;
    addresses[linear] = record.address;
    sizes[linear] = record.storedSize;
    filterMasks[linear] = record.filterMask;
  }
  // Chunks never written read as the fill value, which HDF5 applies: such datasets are read by HDF5.
  if (addresses.some((a) => a < 0)) return { hdf5: 'some chunks were never written' };
  return { table: { grid, addresses, sizes, filterMasks } };
}

function locateIn(file: FileBytes, objectAddress: number, variable: NumericVariable): DataLocation {
  const { shape, dtype } = variable;
  const elementSize = bytesPerElement(dtype);
  if (shape.length === 0 || shape.some((s) => s === 0)) return { hdf5: 'scalar or empty dataset' };
  readSuperblock(file);
  const messages = readHeaderMessages(file, objectAddress);
  const datatype = messages.find((m) => m.type === MESSAGE.DATATYPE);
  if (!datatype || datatype.flags & SHARED_MESSAGE_FLAG) return { hdf5: 'shared datatype' };
  if (!isMachineType(datatype.data, dtype)) return { hdf5: 'a datatype HDF5 converts while reading' };
  const message = messages.find((m) => m.type === MESSAGE.LAYOUT);
  if (!message) throw new Hdf5FormatError('dataset has no data layout message');
  const layout = parseLayout(message.data, file.offsetSize, file.lengthSize);
  if (layout.kind === 'other') return { hdf5: layout.reason };
  const filters = variable.storage.filters;
  if (layout.kind === 'contiguous') {
    const expected = shape.reduce((n, s) => n * s, elementSize);
    if (filters.length > 0 || layout.size !== expected || !file.holds(layout.address, layout.size))
      return { hdf5: 'contiguous storage that is not the plain values' };
    return { contiguous: { position: file.baseAddress + layout.address, size: layout.size } };
  }
  const chunks = variable.storage.chunks;
  if (!chunks || chunks.length !== layout.chunks.length || chunks.some((c, d) => c !== layout.chunks[d])) {
    throw new Error(
      `chunk locator read chunks [${layout.chunks.join(', ')}] where HDF5 reads [${chunks?.join(', ') ?? 'none'}]`,
    );
  }
  if (layout.elementSize !== elementSize)
    throw new Hdf5FormatError(
      `chunked layout declares ${layout.elementSize}-byte elements for a ${elementSize}-byte type`,
    );
  const chunkBytes = chunks.reduce((n, c) => n * c, elementSize);
  const limit = maxStoredSize(chunkBytes, filters.length > 0);
  if (layout.kind === 'btree-v1') {
    return tableFrom(readChunkBtree(file, layout.address, { chunks, maxStoredSize: limit }), shape, chunks);
  }
  const storedSize = layout.storedSize ?? chunkBytes;
  if (storedSize === 0 || storedSize > limit || !file.holds(layout.address, storedSize)) {
    throw new Hdf5FormatError(
      `its one chunk of ${storedSize} bytes at address ${layout.address} does not fit the file`,
    );
  }
  return tableFrom(
    [{ offsets: shape.map(() => 0), storedSize, filterMask: layout.filterMask, address: layout.address }],
    shape,
    chunks,
  );
}

/** {@link DataLocation} of the dataset whose object header is at `objectAddress` in the file at `path`. */
export function locateData(path: string, objectAddress: number, variable: NumericVariable): DataLocation {
  const file = new FileBytes(path);
  try {
    return locateIn(file, objectAddress, variable);
  } finally {
    file.close();
  }
}

/** How to read a numeric variable straight from the file, given where its data is; null when HDF5 reads it. */
export function directSource(
  file: string,
  variable: NumericVariable,
  located: DataLocation,
): ChunkSourceDescriptor | ContiguousSourceDescriptor | null {
  const { path, dtype, shape } = variable;
  const chunks = variable.storage.chunks;
  const filters = variable.storage.filters.map((f) => f.id);
  if ('table' in located && chunks)
    return { kind: 'chunks', file, variable: path, dtype, shape, chunks, filters, table: located.table };
  if ('contiguous' in located)
    return { kind: 'contiguous', file, variable: path, dtype, shape, position: located.contiguous.position };
  return null;
}
