import type { NcGroup, NumericArray, NumericDType } from './model.js';

/**
 * A rectangular region of an N-D variable, read row by row: a row is a run along the last dimension, and rows are
 * numbered row-major over the other dimensions. Views never change once returned, whatever the source reads next.
 */
export interface RegionView {
  readonly rows: number;
  readonly rowLength: number;
  /** Copy row `r` into `into[0 .. rowLength)` as numbers (64-bit integers lose precision beyond 2^53). */
  readRow(r: number, into: Float64Array): void;
  /**
   * Row `r` as runs of equal values, for views that hold their data as runs: run k starts at column `starts[k]`
   * and ends where the next starts (the last at `rowLength`), with value `values[k]`; both arrays need room for
   * `rowLength` runs. Returns the number of runs.
   */
  readRowRuns?(r: number, starts: Int32Array, values: Float64Array): number;
  /** Done with this view: its memory may be reused by the next read of any source in this thread. */
  release?(): void;
}

/** Reads regions of one numeric variable. Opened from a {@link SourceDescriptor} in any thread. */
export interface RegionSource {
  readonly dtype: NumericDType;
  readonly shape: readonly number[];
  /** A region's values; the view stays readable until its `release()` (sources reuse the memory after it). */
  read(start: readonly number[], count: readonly number[]): RegionView;
  /**
   * When the region lies in one stored chunk: a description of that chunk's stored (still compressed) form, so two
   * products' chunks can be found byte-identical without decoding either. Sources without chunks return null.
   */
  storedChunk?(start: readonly number[], count: readonly number[]): StoredChunk | null;
  close(): void;
}

export interface StoredChunk {
  /** Everything besides the bytes that decides how they decode: dtype, chunk shape, filters, filter mask. */
  readonly encoding: string;
  readonly size: number;
  /** `length` stored bytes from `offset`, read into `into` (at least `length` long); a view of it. */
  read(offset: number, length: number, into: Buffer): Buffer;
}

/** How to read one variable: plain data that can be posted to a worker thread and opened there. */
export type SourceDescriptor =
  | ChunkSourceDescriptor
  | ContiguousSourceDescriptor
  | InlineSourceDescriptor
  | H5wasmSourceDescriptor
  | MemorySourceDescriptor;

export interface ChunkTable {
  /** Chunk grid shape (number of chunks along each dimension). */
  readonly grid: readonly number[];
  /** Per chunk, in row-major grid order: file address, stored size in bytes, filter mask. */
  readonly addresses: Float64Array;
  readonly sizes: Float64Array;
  readonly filterMasks: Uint32Array;
}

/** What every source descriptor names: the variable, where it lives, its element type and shape. */
interface SourceBase {
  /** The product file the variable is read from. */
  readonly file: string;
  readonly variable: string;
  readonly dtype: NumericDType;
  readonly shape: readonly number[];
}

/** A chunked variable whose chunks this project reads and inflates itself (fast path, see src/netcdf/chunks). */
export interface ChunkSourceDescriptor extends SourceBase {
  readonly kind: 'chunks';
  readonly chunks: readonly number[];
  /** Filter ids in pipeline (write) order; only deflate (1), shuffle (2) and fletcher32 (3) are accepted. */
  readonly filters: readonly number[];
  readonly table: ChunkTable;
}

/** An uncompressed contiguous variable, read with positioned file reads (no HDF5 needed). */
export interface ContiguousSourceDescriptor extends SourceBase {
  readonly kind: 'contiguous';
  /** Absolute file position of element 0. */
  readonly position: number;
}

/** A small variable read whole when the product was opened (scalars, compact or unwritten storage, big-endian). */
export interface InlineSourceDescriptor extends SourceBase {
  readonly kind: 'inline';
  /** Every element, little-endian, row-major. */
  readonly bytes: Uint8Array;
}

/** Any variable h5wasm can read, through hyperslab reads. */
export interface H5wasmSourceDescriptor extends SourceBase {
  readonly kind: 'h5wasm';
  readonly chunks: readonly number[] | null;
}

/** A variable of an in-memory product; only readable in the thread that registered it. */
export interface MemorySourceDescriptor extends Omit<SourceBase, 'file'> {
  readonly kind: 'memory';
  readonly key: string;
  readonly chunks: readonly number[] | null;
}

/** An open product: its structure, whole reads of small variables, and sources for region reads. */
export interface ProductReader {
  /** The file path (or a name for in-memory products), used in every message. */
  readonly path: string;
  readonly root: NcGroup;
  /** Whole numeric variable (coordinates, scalars, small cubes). */
  readNumeric(variablePath: string): NumericArray;
  /** Text variable (variable-length strings, or fixed-length char arrays joined per row). */
  readText(variablePath: string): string[];
  sourceFor(variablePath: string): SourceDescriptor;
  close(): void;
}

export function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) strides[d] = (strides[d + 1] ?? 1) * (shape[d + 1] ?? 1);
  return strides;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, s) => n * s, 1);
}

/** Sources a worker thread can open by itself: no h5wasm, no in-memory registry of the main thread. */
export function isPortable(descriptor: SourceDescriptor): boolean {
  return descriptor.kind === 'chunks' || descriptor.kind === 'contiguous' || descriptor.kind === 'inline';
}
