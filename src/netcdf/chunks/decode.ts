import { Hdf5FormatError } from '../hdf5/errors.js';
import { fletcher32Matches } from './fletcher32.js';
import { INFLATE_SLACK, Inflater } from './inflate.js';

export const FILTER_DEFLATE = 1;
export const FILTER_SHUFFLE = 2;
export const FILTER_FLETCHER32 = 3;
export const SUPPORTED_FILTERS: ReadonlySet<number> = new Set([FILTER_DEFLATE, FILTER_SHUFFLE, FILTER_FLETCHER32]);

/**
 * Undo HDF5's shuffle filter: the chunk stores byte 0 of every element, then byte 1 of every element, and so on.
 * Writing whole elements through a wide typed array is several times faster than moving single bytes.
 */
export function unshuffle(input: Uint8Array, elementSize: number): Uint8Array {
  const count = Math.floor(input.length / elementSize);
  const out = new Uint8Array(input.length);
  if (elementSize === 4) {
    const words = new Uint32Array(out.buffer, 0, count);
    const b1 = count;
    const b2 = 2 * count;
    const b3 = 3 * count;
    for (let i = 0; i < count; i++) {
      words[i] = (input[i]! | (input[b1 + i]! << 8) | (input[b2 + i]! << 16) | (input[b3 + i]! << 24)) >>> 0;
    }
  } else if (elementSize === 2) {
    const halves = new Uint16Array(out.buffer, 0, count);
    for (let i = 0; i < count; i++) halves[i] = input[i]! | (input[count + i]! << 8);
  } else if (elementSize === 8) {
    const words = new Uint32Array(out.buffer, 0, count * 2);
    for (let i = 0; i < count; i++) {
      words[2 * i] =
        (input[i]! | (input[count + i]! << 8) | (input[2 * count + i]! << 16) | (input[3 * count + i]! << 24)) >>> 0;
      words[2 * i + 1] =
        (input[4 * count + i]! |
          (input[5 * count + i]! << 8) |
          (input[6 * count + i]! << 16) |
          (input[7 * count + i]! << 24)) >>>
        0;
    }
  } else {
    for (let b = 0; b < elementSize; b++) {
      const base = b * count;
      for (let i = 0; i < count; i++) out[i * elementSize + b] = input[base + i]!;
    }
  }
  // Bytes that do not fill a whole element were stored unshuffled at the end.
  out.set(input.subarray(count * elementSize), count * elementSize);
  return out;
}

export interface DecodedChunk {
  readonly bytes: Uint8Array;
  /** True when the bytes are still shuffled (the caller asked to unshuffle them itself, row by row). */
  readonly shuffled: boolean;
}

/** Where decoding may write: a reusable inflater and, optionally, a buffer for the inflated bytes. */
export interface DecodeBuffers {
  readonly inflater: Inflater;
  /** Reused for the inflated bytes; the result may then be a view of it, valid until its next use. */
  readonly output?: Uint8Array;
  /** The chunk's deflate already undone (see {@link inflatesFirst}): these bytes stand for the stored ones. */
  readonly inflated?: Uint8Array;
}

/**
 * Whether undoing a chunk's filters starts with inflating its stored bytes and needs those bytes for nothing else
 * (no checksum over them): shuffle + deflate or deflate alone, as netCDF-4 writes compressed variables. Such a
 * chunk can be inflated as its bytes are read, piece by piece.
 */
export function inflatesFirst(filters: readonly number[], filterMask: number): boolean {
  if (filterMask !== 0 || filters.at(-1) !== FILTER_DEFLATE) return false;
  return filters.length === 1 || (filters.length === 2 && filters[0] === FILTER_SHUFFLE);
}

const defaultInflater = new Inflater();

/** Room an output buffer needs for a chunk of `chunkBytes`: checksums inflate with the data, and zlib needs slack. */
export function decodeBufferSize(chunkBytes: number, filters: readonly number[]): number {
  return chunkBytes + 4 * filters.filter((id) => id === FILTER_FLETCHER32).length + INFLATE_SLACK;
}

/**
 * Reverse the filter pipeline of one stored chunk. `filters` are in write order; bit i of `filterMask` set means
 * filter i was skipped for this chunk. With `deferShuffle`, a shuffle that would be the last step is left undone.
 * Bytes HDF5 would refuse (a checksum that does not match, a damaged deflate stream, the wrong size) are an
 * {@link Hdf5FormatError}. `buffers.output`, when given, should be {@link decodeBufferSize} bytes long.
 */
export function decodeChunk(
  stored: Uint8Array,
  filters: readonly number[],
  filterMask: number,
  expectedBytes: number,
  elementSize: number,
  deferShuffle = false,
  buffers: DecodeBuffers = { inflater: defaultInflater },
): DecodedChunk {
  // The size each filter's undoing must give: what the bytes measured before that filter ran when written.
  const sizeBefore: number[] = [];
  let size = expectedBytes;
  filters.forEach((id, i) => {
    sizeBefore.push(size);
    if (id === FILTER_FLETCHER32 && !(filterMask & (1 << i))) size += 4;
  });
  let bytes: Uint8Array = stored;
  let shuffled = false;
  for (let i = filters.length - 1; i >= 0; i--) {
    if (filterMask & (1 << i)) continue;
    const id = filters[i];
    if (id === FILTER_DEFLATE) {
      bytes =
        buffers.inflated && i === filters.length - 1
          ? buffers.inflated
          : buffers.inflater.inflate(bytes, sizeBefore[i]!, buffers.output);
    } else if (id === FILTER_SHUFFLE) {
      if (elementSize === 1) continue;
      if (deferShuffle && i === 0) shuffled = true;
      else bytes = unshuffle(bytes, elementSize);
    } else if (id === FILTER_FLETCHER32) {
      if (!fletcher32Matches(bytes)) throw new Hdf5FormatError('fletcher32 checksum does not match the stored bytes');
      bytes = bytes.subarray(0, bytes.length - 4);
    } else {
      throw new Error(`HDF5 filter ${id} is not supported by the chunk reader`);
    }
  }
  if (bytes.length !== expectedBytes) {
    throw new Hdf5FormatError(`chunk decodes to ${bytes.length} bytes, the chunk holds ${expectedBytes}`);
  }
  return { bytes, shuffled };
}
