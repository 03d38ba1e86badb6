import { decodeChunk, SUPPORTED_FILTERS } from '../chunks/decode.js';
import { forEachSegment } from '../chunks/segments.js';
import { readChunkBtree, type ChunkRecord } from './btree-v1.js';
import { elementsOf } from './dataspace.js';
import { Hdf5FormatError, Hdf5Unsupported } from './errors.js';
import type { FileBytes } from './file-bytes.js';
import type { Hdf5Dataset } from './objects.js';

/** Whether {@link readDatasetBytes} can read this dataset without HDF5. */
export function readableWithoutHdf5(dataset: Hdf5Dataset): boolean {
  const { layout, filters } = dataset;
  if (layout.kind === 'other') return false;
  return filters.every((f) => SUPPORTED_FILTERS.has(f.id)) || layout.kind === 'unallocated';
}

function strides(shape: readonly number[]): number[] {
  const out = shape.map(() => 1);
  for (let d = shape.length - 2; d >= 0; d--) out[d] = out[d + 1]! * shape[d + 1]!;
  return out;
}

function filled(dataset: Hdf5Dataset, elements: number): Buffer {
  const size = dataset.type.size;
  const out = Buffer.alloc(elements * size);
  const fill = dataset.fillValue;
  if (fill && fill.length === size && fill.some((b) => b !== 0)) for (let i = 0; i < elements; i++) fill.copy(out, i * size);
  return out;
}

/**
 * Every element of a dataset as stored (file byte order, `type.size` bytes each, row-major): small variables
 * (coordinates, scalars, text) read whole. Unwritten storage reads as the fill value, as HDF5 reads it.
 */
export function readDatasetBytes(file: FileBytes, dataset: Hdf5Dataset): Buffer {
  const { layout, space, type } = dataset;
  const elements = elementsOf(space);
  const bytes = elements * type.size;
  if (layout.kind === 'other') throw new Hdf5Unsupported(layout.reason);
  if (!readableWithoutHdf5(dataset)) throw new Hdf5Unsupported('a compression filter other than deflate, shuffle and fletcher32');
  switch (layout.kind) {
    case 'unallocated':
      return filled(dataset, elements);
    case 'compact':
      if (layout.data.length < bytes) throw new Hdf5FormatError('compact data is shorter than the dataset');
      return layout.data.subarray(0, bytes);
    case 'contiguous':
      if (layout.size < bytes) throw new Hdf5FormatError('contiguous data is shorter than the dataset');
      return file.readAddress(layout.address, bytes);
    case 'btree-v1':
    case 'single-chunk':
      return readChunked(file, dataset, layout.chunks, layout.kind === 'btree-v1' ? readChunkBtree(file, layout.address, space.dims.length) : [singleRecord(dataset)]);
  }
}

function singleRecord(dataset: Hdf5Dataset): ChunkRecord {
  const layout = dataset.layout as Extract<Hdf5Dataset['layout'], { kind: 'single-chunk' }>;
  return {
    offsets: dataset.space.dims.map(() => 0),
    storedSize: layout.storedSize ?? layout.chunks.reduce((n, c) => n * c, dataset.type.size),
    filterMask: layout.filterMask,
    address: layout.address,
  };
}

function readChunked(file: FileBytes, dataset: Hdf5Dataset, chunks: readonly number[], records: readonly ChunkRecord[]): Buffer {
  const shape = dataset.space.dims;
  const size = dataset.type.size;
  const elements = elementsOf(dataset.space);
  const grid = shape.map((s, d) => Math.ceil(s / chunks[d]!));
  const out = records.length < grid.reduce((n, g) => n * g, 1) ? filled(dataset, elements) : Buffer.alloc(elements * size);
  const chunkElements = chunks.reduce((n, c) => n * c, 1);
  const chunkStrides = strides(chunks);
  const outStrides = strides(shape);
  const filterIds = dataset.filters.map((f) => f.id);
  const origin = shape.map(() => 0);
  for (const record of records) {
    if (record.offsets.some((o, d) => o >= shape[d]!)) continue; // storage beyond a shrunk extent
    const stored = file.readAddress(record.address, record.storedSize);
    const { bytes } = decodeChunk(stored, filterIds, record.filterMask, chunkElements * size, size);
    const lo = record.offsets;
    const hi = lo.map((o, d) => Math.min(o + chunks[d]!, shape[d]!));
    forEachSegment(lo, chunkStrides, origin, outStrides, lo, hi, shape.length, (from, to, length) => {
      out.set(bytes.subarray(from * size, (from + length) * size), to * size);
    });
  }
  return out;
}
