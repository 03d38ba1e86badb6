import { ProductReadError } from '../../errors.js';
import { bytesPerElement, type NumericArray, type NumericDType } from '../model.js';
import {
  elementCount,
  rowMajorStrides,
  type ChunkSourceDescriptor,
  type RegionSource,
  type RegionView,
  type StoredChunk,
} from '../reader.js';
import { viewAs } from '../typed-arrays.js';
import { stridedView } from '../views.js';
import { BufferPool } from './buffer-pool.js';
import { decodeBufferSize, decodeChunk, FILTER_SHUFFLE, inflatesFirst, type DecodedChunk } from './decode.js';
import { Inflater } from './inflate.js';
import { Hdf5FormatError } from '../hdf5/errors.js';
import { FileBytes } from '../hdf5/file-bytes.js';
import { ChunkRunsReader } from './runs-reader.js';
import { forEachChunk, forEachSegment, linearChunk, type SegmentCopy } from './segments.js';
import { shuffledView } from './shuffled-view.js';
import { startChunkStream } from './chunk-stream.js';
import { streamedView } from './streamed-view.js';
import type { ShuffledType } from '../../wasm/kernels.js';

/**
 * Stored (compressed) bytes are only needed until they are inflated, and reads in a thread are sequential, so one
 * buffer per thread serves every chunk read. (Taking it from the pool instead makes the pool hand out its
 * chunk-sized buffers for compressed bytes and allocate more.) Chunks that are only deflated (and shuffled) are
 * inflated as they are read, through a 1 MiB piece buffer, so a thread never holds a whole compressed chunk:
 * `gunw diff` on the frame90 benchmark pair (15 MB chunks, 2 cores) peaked at 238–240 MB instead of 282–285 MB, in
 * the same time (1.43–1.56 s against 1.48–1.61 s, 3 runs each).
 */
let sharedStored = Buffer.alloc(0);
function storedBuffer(size: number): Buffer {
  if (sharedStored.length < size) sharedStored = Buffer.allocUnsafe(size);
  return sharedStored;
}
const STORED_PIECE = 1024 * 1024;
let sharedPiece: Buffer | null = null;
function pieceBuffer(): Buffer {
  sharedPiece ??= Buffer.allocUnsafe(STORED_PIECE);
  return sharedPiece;
}

/** This thread's decode buffers and inflater: regions are read one after another, released when compared. */
const pool = new BufferPool(6);
const inflater = new Inflater();
const streamedTypes: ReadonlySet<NumericDType> = new Set<ShuffledType>(['f4', 'i2', 'u2']);

/** Decoded chunks kept for regions that straddle chunk boundaries (shifted grids, other chunkings). */
const CACHED_CHUNKS = 2;

/**
 * Reads regions of a chunked variable by reading stored chunks with positioned file reads and inflating them with
 * Node's zlib. A region inside one chunk reads straight from the inflated chunk (unshuffling row by row); a region
 * that crosses chunks is assembled from whole decoded chunks, the last few of which are kept.
 */
export class ChunkRegionSource implements RegionSource {
  readonly dtype: NumericDType;
  readonly shape: readonly number[];
  private readonly file: FileBytes;
  private readonly elementSize: number;
  private readonly chunkStrides: number[];
  private readonly chunkElements: number;
  /** Bytes of a pooled buffer that one decoded chunk needs. */
  private readonly bufferSize: number;
  /** Decoded chunks by linear index, each in a pooled buffer that goes back to the pool when evicted. */
  private readonly cache = new Map<number, CachedChunk>();
  /** This variable's chunks held as runs, where they can be. */
  private readonly runs: ChunkRunsReader;

  constructor(private readonly descriptor: ChunkSourceDescriptor) {
    this.dtype = descriptor.dtype;
    this.shape = descriptor.shape;
    this.file = new FileBytes(descriptor.file);
    this.elementSize = bytesPerElement(descriptor.dtype);
    this.chunkStrides = rowMajorStrides(descriptor.chunks);
    this.chunkElements = elementCount(descriptor.chunks);
    this.bufferSize = decodeBufferSize(this.chunkElements * this.elementSize, descriptor.filters);
    this.runs = new ChunkRunsReader(descriptor, this.file);
  }

  read(start: readonly number[], count: readonly number[]): RegionView {
    const { chunks } = this.descriptor;
    const first = start.map((s, d) => Math.floor(s / chunks[d]!));
    const last = start.map((s, d) => Math.floor((s + count[d]! - 1) / chunks[d]!));
    const runs = this.runs.region(start, count, first, last);
    if (runs) return runs;
    if (first.every((f, d) => f === last[d])) {
      let offset = 0;
      for (let d = 0; d < start.length; d++) offset += (start[d]! - first[d]! * chunks[d]!) * this.chunkStrides[d]!;
      // A cached chunk (kept for straddling regions) is copied out, so cached memory is never lent to a caller.
      if (this.cache.has(this.linear(first))) return this.assemble(start, count, first, last);
      return this.streamedRegion(first, offset, count) ?? this.decodedRegion(first, offset, count);
    }
    return this.assemble(start, count, first, last);
  }

  /** A region inside one chunk, from the chunk decoded whole into a pooled buffer. */
  private decodedRegion(index: readonly number[], offset: number, count: readonly number[]): RegionView {
    const buffer = pool.take(this.bufferSize);
    const decoded = this.decode(index, true, buffer);
    const view = decoded.shuffled
      ? shuffledView(decoded.bytes, this.dtype, this.chunkElements, this.chunkStrides, offset, count)
      : stridedView(viewAs(this.dtype, decoded.bytes), offset, this.chunkStrides, count);
    if (decoded.bytes.buffer !== buffer.buffer) {
      pool.give(buffer);
      return view;
    }
    return { ...view, release: () => pool.give(buffer) };
  }

  /**
   * A region inside one shuffled, deflated chunk of a type the kernels unshuffle, read while the chunk's last byte
   * plane is inflated ({@link streamedView}); null where that cannot start (the caller decodes the chunk whole).
   */
  private streamedRegion(index: readonly number[], offset: number, count: readonly number[]): RegionView | null {
    const { table, filters, dtype } = this.descriptor;
    const linear = this.linear(index);
    if (
      !streamedTypes.has(dtype) ||
      filters[0] !== FILTER_SHUFFLE ||
      !inflatesFirst(filters, table.filterMasks[linear]!)
    )
      return null;
    const headBytes = (this.elementSize - 1) * this.chunkElements;
    const buffer = pool.take(headBytes);
    const head = buffer.subarray(0, headBytes);
    const address = table.addresses[linear]!;
    const stream = startChunkStream(
      table.sizes[linear]!,
      (at, length, into) => this.file.readAt(address + at, length, into as Buffer),
      head,
    );
    if (!stream) {
      pool.give(buffer);
      return null;
    }
    const release = (): void => {
      pool.give(buffer);
      stream.recycle();
    };
    return streamedView(
      { head, stream, elements: this.chunkElements },
      dtype as ShuffledType,
      this.chunkStrides,
      offset,
      count,
      () => this.decodedRegion(index, offset, count),
      release,
    );
  }

  storedChunk(start: readonly number[], count: readonly number[]): StoredChunk | null {
    const { chunks, table, filters, dtype } = this.descriptor;
    const index = start.map((s, d) => Math.floor(s / chunks[d]!));
    if (start.some((s, d) => Math.floor((s + count[d]! - 1) / chunks[d]!) !== index[d])) return null;
    const linear = this.linear(index);
    const size = table.sizes[linear]!;
    return {
      // Equal bytes give equal values only if the region sits at the same place inside the chunk.
      encoding: `${dtype}|${chunks.join('x')}|${filters.join(',')}|${table.filterMasks[linear]}|${start.map((s, d) => s - index[d]! * chunks[d]!).join(',')}`,
      size,
      read: (offset, length, into) =>
        this.file.readAt(table.addresses[linear]! + offset, length, into).subarray(0, length),
    };
  }

  private assemble(start: readonly number[], count: readonly number[], first: number[], last: number[]): RegionView {
    const { chunks } = this.descriptor;
    const buffer = pool.take(elementCount(count) * this.elementSize);
    const out = viewAs(this.dtype, buffer.subarray(0, elementCount(count) * this.elementSize));
    const outStrides = rowMajorStrides(count);
    const rank = start.length;
    forEachChunk(first, last, (index) => {
      const chunk = this.cached(index);
      // Intersection of this chunk with the region, in dataset coordinates.
      const lo = index.map((c, d) => Math.max(c * chunks[d]!, start[d]!));
      const hi = index.map((c, d) => Math.min((c + 1) * chunks[d]!, start[d]! + count[d]!));
      const copy = chunk.shuffled
        ? unshuffleSegment(chunk.bytes, this.chunkElements, this.elementSize, buffer)
        : typedSegment(viewAs(this.dtype, chunk.bytes), out);
      forEachSegment(
        index.map((c, d) => c * chunks[d]!),
        this.chunkStrides,
        start,
        outStrides,
        lo,
        hi,
        rank,
        copy,
      );
      return true;
    });
    const view = stridedView(out, 0, outStrides, count);
    return { ...view, release: () => pool.give(buffer) };
  }

  private linear(index: readonly number[]): number {
    return linearChunk(this.descriptor.table.grid, index);
  }

  /**
   * A whole decoded chunk, kept in the small cache. Shuffled chunks stay shuffled (regions unshuffle what they
   * copy), so a chunk needs one buffer, not two.
   */
  private cached(index: readonly number[]): CachedChunk {
    const linear = this.linear(index);
    const hit = this.cache.get(linear);
    if (hit) return hit;
    if (this.cache.size >= CACHED_CHUNKS) {
      const oldest = this.cache.keys().next().value as number;
      pool.give(this.cache.get(oldest)!.buffer);
      this.cache.delete(oldest);
    }
    const buffer = pool.take(this.bufferSize);
    const { bytes, shuffled } = this.decode(index, true, buffer);
    const inBuffer = bytes.buffer === buffer.buffer;
    if (!inBuffer) pool.give(buffer);
    const chunk = { bytes, shuffled, buffer: inBuffer ? buffer : new Uint8Array(0) };
    this.cache.set(linear, chunk);
    return chunk;
  }

  private decode(index: readonly number[], deferShuffle: boolean, output?: Uint8Array): DecodedChunk {
    const { table, filters, file, variable } = this.descriptor;
    const linear = this.linear(index);
    try {
      const size = table.sizes[linear]!;
      const address = table.addresses[linear]!;
      const chunkBytes = this.chunkElements * this.elementSize;
      if (output && size > STORED_PIECE && inflatesFirst(filters, table.filterMasks[linear]!)) {
        const inflated = inflater.inflatePieces(size, chunkBytes, output, pieceBuffer(), (offset, length, into) =>
          this.file.readAt(address + offset, length, into as Buffer),
        );
        if (inflated) {
          const none = new Uint8Array(0);
          return decodeChunk(none, filters, 0, chunkBytes, this.elementSize, deferShuffle, { inflater, inflated });
        }
      }
      const stored = this.file.readAt(address, size, storedBuffer(size)).subarray(0, size);
      const decoded = decodeChunk(
        stored,
        filters,
        table.filterMasks[linear]!,
        this.chunkElements * this.elementSize,
        this.elementSize,
        deferShuffle,
        {
          inflater,
          ...(output ? { output } : {}),
        },
      );
      // Without compression the bytes are still in the shared stored-bytes buffer, which the next read overwrites.
      if (decoded.bytes.buffer !== stored.buffer) return decoded;
      const own =
        output && output.length >= decoded.bytes.length
          ? output.subarray(0, decoded.bytes.length)
          : new Uint8Array(decoded.bytes.length);
      own.set(decoded.bytes);
      return { bytes: own, shuffled: decoded.shuffled };
    } catch (error) {
      if (!(error instanceof Hdf5FormatError)) throw error;
      throw new ProductReadError(
        file,
        `damaged: stored data of chunk [${index.join(', ')}]: ${error.message}`,
        variable,
        { cause: error },
      );
    }
  }

  close(): void {
    for (const { buffer } of this.cache.values()) pool.give(buffer);
    this.cache.clear();
    this.runs.clear();
    this.file.close();
  }
}

interface CachedChunk {
  readonly bytes: Uint8Array;
  readonly shuffled: boolean;
  /** The pooled buffer holding the bytes (empty when they live elsewhere). */
  readonly buffer: Uint8Array;
}

function typedSegment(src: NumericArray, dst: NumericArray): SegmentCopy {
  return (from, to, length) => (dst as Float64Array).set((src as Float64Array).subarray(from, from + length), to);
}

/**
 * Copies from a chunk still in shuffle order (byte plane k holds byte k of every element) into the region's
 * elements. 2- and 4-byte elements are put together and stored a word at a time (little-endian, as the chunks and
 * the platforms this runs on are): measured on rows of 2,100 int16 labels (Node 24), 1.6 ns an element against 3.4–4.0
 * for the byte-by-byte scatter, which other sizes keep.
 */
function unshuffleSegment(planes: Uint8Array, elements: number, size: number, dst: Uint8Array): SegmentCopy {
  if (size === 2 && dst.byteOffset % 2 === 0) {
    const words = new Uint16Array(dst.buffer, dst.byteOffset, Math.floor(dst.length / 2));
    return (from, to, length) => {
      const high = elements + from;
      for (let i = 0; i < length; i++) words[to + i] = planes[from + i]! | (planes[high + i]! << 8);
    };
  }
  if (size === 4 && dst.byteOffset % 4 === 0) {
    const words = new Uint32Array(dst.buffer, dst.byteOffset, Math.floor(dst.length / 4));
    return (from, to, length) => {
      const [p1, p2, p3] = [elements + from, 2 * elements + from, 3 * elements + from];
      for (let i = 0; i < length; i++)
        words[to + i] =
          (planes[from + i]! | (planes[p1 + i]! << 8) | (planes[p2 + i]! << 16) | (planes[p3 + i]! << 24)) >>> 0;
    };
  }
  return (from, to, length) => {
    for (let b = 0; b < size; b++) {
      const plane = b * elements + from;
      for (let i = 0; i < length; i++) dst[(to + i) * size + b] = planes[plane + i]!;
    }
  };
}
