import { Deflater, deflateBound } from './deflate.js';
import { Float32Shuffler } from '../../wasm/shuffle.js';

/**
 * Turning a slab of a dataset (full extent in every dimension but the first) into its stored chunks: each chunk cut
 * out (edge chunks padded with the fill value, as HDF5 stores them at full size), byte-shuffled and deflated. Pure
 * and synchronous, so the same code runs in the encoder's worker threads and, without them, in this thread.
 */

export interface SlabTask {
  /** The slab's bytes, row-major. */
  readonly slab: Uint8Array;
  readonly slabShape: readonly number[];
  /** Origins of the chunks to cut, relative to the slab (first coordinate 0), in HDF5's key order. */
  readonly origins: readonly (readonly number[])[];
  readonly chunks: readonly number[];
  readonly elementSize: number;
  /** One element of the fill value. */
  readonly fill: Uint8Array;
  readonly shuffle: boolean;
  readonly deflateLevel: number | null;
}

/** The stored chunks of one slab, back to back, and each one's size. */
export interface EncodedSlab {
  readonly bytes: Uint8Array;
  readonly sizes: readonly number[];
}

/** HDF5's byte shuffle: byte k of every element together, for k = 0 .. elementSize-1. */
export function shuffleBytes(input: Uint8Array, elementSize: number): Uint8Array {
  if (elementSize <= 1) return input;
  const count = input.length / elementSize;
  const out = new Uint8Array(input.length);
  if (elementSize === 4 && input.byteOffset % 4 === 0) {
    // The common case (float32 layers): one pass over 32-bit words instead of four strided passes over bytes.
    const words = new Uint32Array(input.buffer, input.byteOffset, count);
    for (let i = 0; i < count; i++) {
      const w = words[i]!;
      out[i] = w & 0xff;
      out[count + i] = (w >>> 8) & 0xff;
      out[2 * count + i] = (w >>> 16) & 0xff;
      out[3 * count + i] = w >>> 24;
    }
    return out;
  }
  for (let k = 0; k < elementSize; k++) {
    const base = k * count;
    for (let i = 0; i < count; i++) out[base + i] = input[i * elementSize + k]!;
  }
  return out;
}

export function product(values: readonly number[]): number {
  return values.reduce((n, v) => n * v, 1);
}

/** A whole chunk of the fill value, to start edge chunks from. */
export function fillChunk(chunks: readonly number[], elementSize: number, fill: Uint8Array): Uint8Array {
  const out = new Uint8Array(product(chunks) * elementSize);
  if (fill.every((b) => b === 0)) return out;
  out.set(fill.subarray(0, elementSize));
  // Doubling copies: log2(n) set() calls instead of one per element.
  for (let filled = elementSize; filled < out.length; filled *= 2)
    out.copyWithin(filled, 0, Math.min(filled, out.length - filled));
  return out;
}

/**
 * Copy one chunk out of a slab (full extent in every dimension but the first). Chunks that reach past the
 * dataset's edge start from the fill value, as HDF5 stores edge chunks at full size.
 */
export function extractChunk(
  slab: Uint8Array,
  slabShape: readonly number[],
  origin: readonly number[],
  chunks: readonly number[],
  elementSize: number,
  fill: Uint8Array,
): Uint8Array {
  const rank = chunks.length;
  const extent = chunks.map((size, d) => Math.max(0, Math.min(size, slabShape[d]! - origin[d]!)));
  const partial = extent.some((e, d) => e < chunks[d]!);
  const out = partial ? fill.slice() : new Uint8Array(fill.length);
  const slabStrides = new Array<number>(rank);
  const chunkStrides = new Array<number>(rank);
  let s = elementSize;
  let c = elementSize;
  for (let d = rank - 1; d >= 0; d--) {
    slabStrides[d] = s;
    chunkStrides[d] = c;
    s *= slabShape[d]!;
    c *= chunks[d]!;
  }
  const rowBytes = extent[rank - 1]! * elementSize;
  if (rowBytes === 0) return out;
  const copy = (d: number, slabAt: number, chunkAt: number): void => {
    if (d === rank - 1) {
      const from = slabAt + origin[d]! * elementSize;
      out.set(slab.subarray(from, from + rowBytes), chunkAt);
      return;
    }
    for (let i = 0; i < extent[d]!; i++)
      copy(d + 1, slabAt + (origin[d]! + i) * slabStrides[d]!, chunkAt + i * chunkStrides[d]!);
  };
  copy(0, 0, 0);
  return out;
}

/** Every chunk origin within a slab, in HDF5's key order (row-major over the chunk grid). */
export function chunkOrigins(slabStart: number, shape: readonly number[], chunks: readonly number[]): number[][] {
  const grid = shape.map((s, d) => Math.ceil(s / chunks[d]!));
  const origins: number[][] = [];
  const walk = (d: number, prefix: number[]): void => {
    if (d === shape.length) return void origins.push(prefix);
    for (let i = 0; i < grid[d]!; i++) walk(d + 1, [...prefix, i * chunks[d]!]);
  };
  walk(1, [slabStart]);
  return origins;
}

/** This thread's shuffle kernel, for chunks of `elements` values. */
let shuffler: Float32Shuffler | null = null;
function shufflerFor(elements: number): Float32Shuffler {
  if (shuffler?.elements !== elements) shuffler = new Float32Shuffler(elements);
  return shuffler;
}

/**
 * A 4-byte (float32) chunk of a 2-D slab gathered into the shuffle kernel's memory and shuffled there by SIMD: the
 * same bytes as extractChunk + shuffleBytes. Values are moved as 32-bit words, so every bit of a NaN is kept. The
 * result is a view of the kernel's memory, valid until the next chunk.
 */
export function shuffledChunk4(
  words: Uint32Array,
  slabShape: readonly number[],
  origin: readonly number[],
  chunks: readonly number[],
  fillWord: number,
  shuffler = shufflerFor(product(chunks)),
): Uint8Array {
  const [rows, columns] = [chunks[0]!, chunks[1]!];
  const extentRows = Math.max(0, Math.min(rows, slabShape[0]! - origin[0]!));
  const extentColumns = Math.max(0, Math.min(columns, slabShape[1]! - origin[1]!));
  const target = shuffler.words;
  // Only a chunk that reaches past the slab has cells the copies below do not write: those keep the fill.
  if (extentRows < rows || extentColumns < columns) target.fill(fillWord);
  for (let r = 0; r < extentRows; r++) {
    const from = (origin[0]! + r) * slabShape[1]! + origin[1]!;
    target.set(words.subarray(from, from + extentColumns), r * columns);
  }
  return shuffler.run();
}

/** The most the stored chunks of one slab can take (every chunk at deflate's worst case). */
export function slabOutputBound(task: SlabTask): number {
  return task.origins.length * deflateBound(product(task.chunks) * task.elementSize);
}

/**
 * The chunks of one slab, encoded. With `into` (at least {@link slabOutputBound} bytes), the stored chunks are
 * written there and returned as a view of it; otherwise they leave in a buffer of their own.
 */
export function encodeSlab(task: SlabTask, into?: Uint8Array): EncodedSlab {
  const { chunks, elementSize, slab } = task;
  const fused = task.shuffle && elementSize === 4 && chunks.length === 2 && slab.byteOffset % 4 === 0;
  // A whole chunk of the fill value for edge chunks to start from, made only where the kernel does not pad them.
  let fill: Uint8Array | null = null;
  const words = fused ? new Uint32Array(slab.buffer, slab.byteOffset, slab.byteLength / 4) : null;
  const fillWord = fused ? new DataView(task.fill.buffer, task.fill.byteOffset, 4).getUint32(0, true) : 0;
  const bound = slabOutputBound(task);
  if (into && into.length < bound) throw new RangeError(`a slab's stored chunks need ${bound} bytes`);
  const output = into ?? outputArena(bound);
  const deflater = task.deflateLevel === null ? null : deflaterAt(task.deflateLevel);
  const sizes: number[] = [];
  let at = 0;
  for (const origin of task.origins) {
    let shuffled: Uint8Array;
    if (words) {
      shuffled = shuffledChunk4(words, task.slabShape, origin, chunks, fillWord);
    } else {
      fill ??= fillChunk(chunks, elementSize, task.fill);
      const chunk = extractChunk(slab, task.slabShape, origin, chunks, elementSize, fill);
      shuffled = task.shuffle ? shuffleBytes(chunk, elementSize) : chunk;
    }
    // Chunks go back to back into this thread's output arena; without deflate a chunk is stored as it is.
    let size: number;
    if (deflater) size = deflater.deflateInto(shuffled, output, at);
    else {
      output.set(shuffled, at);
      size = shuffled.length;
    }
    sizes.push(size);
    at += size;
  }
  // This thread's arena is used again for the next slab: from it, the stored chunks leave in a buffer of their own.
  return { bytes: into ? into.subarray(0, at) : output.slice(0, at), sizes };
}

/** This thread's deflate stream for the level in use. */
let deflater: Deflater | null = null;
function deflaterAt(level: number): Deflater {
  if (deflater?.level !== level) deflater = new Deflater(level);
  return deflater;
}

/** This thread's output arena, grown to the largest slab's worst case. */
let arena = new Uint8Array(0);
function outputArena(size: number): Uint8Array {
  if (arena.length < size) arena = new Uint8Array(size);
  return arena;
}
