import type { DType, NumericArray, NumericDType } from './model.js';

/**
 * A product described as plain data: what the in-memory reader serves and what the netCDF writer puts on disk.
 * Tests and the sample generator build products this way, so the same description can be read from memory or
 * from a real file.
 */
export type AttributeSpec =
  | string
  | number
  | boolean
  | readonly string[]
  | readonly number[]
  | { readonly dtype: NumericDType; readonly value: number | readonly number[] }
  | { readonly dtype: 'string'; readonly value: string | readonly string[] }
  | { readonly dtype: 'enum'; readonly value: boolean | readonly boolean[] };

/**
 * Values produced slab by slab along the first dimension (`count` entries from `start`, full extent in the other
 * dimensions, row-major), so that a large layer is written without ever being whole in memory.
 */
export interface SlabSource {
  readonly kind: 'slabs';
  /**
   * `into`, when given, is memory the writer lends for this slab (exactly the slab's bytes): a source may fill it and
   * return a view of all of it, and must keep no hold of it. The writer lends the same few buffers again and again,
   * so a layer written slab by slab does not allocate (and fault in, and collect) a fresh slab each time.
   */
  read(start: number, count: number, into?: ArrayBuffer): NumericArray | Promise<NumericArray>;
  /**
   * Every read returns a new array that the source keeps no hold of, so the writer may hand its memory to another
   * thread instead of copying it.
   */
  readonly fresh?: boolean;
}

export interface VariableSpec {
  readonly name: string;
  readonly dtype: Extract<DType, NumericDType | 'string' | 'char'>;
  /** Dimension names, each declared in this group or an ancestor. Omit for scalars. */
  readonly dimensions?: readonly string[];
  /** Row-major values; a plain number for scalars; strings for text variables (one per row for `char`). */
  readonly data: NumericArray | readonly string[] | number | SlabSource;
  readonly attributes?: Readonly<Record<string, AttributeSpec>>;
  /** Written as the `_FillValue` attribute, in the variable's type. */
  readonly fillValue?: number;
  readonly chunks?: readonly number[];
  /** Deflate level (1-9); requires chunks. */
  readonly deflate?: number;
  /** HDF5 byte shuffle before deflate (what netCDF-C's `shuffle` and netCDF4-python's `zlib=True` do). */
  readonly shuffle?: boolean;
}

export interface GroupSpec {
  readonly attributes?: Readonly<Record<string, AttributeSpec>>;
  readonly dimensions?: Readonly<Record<string, number>>;
  /**
   * Dimensions of this group that are UNLIMITED (netCDF-4: an extendible HDF5 dimension scale); their size is the
   * current one.
   */
  readonly unlimited?: readonly string[];
  readonly variables?: readonly VariableSpec[];
  readonly groups?: Readonly<Record<string, GroupSpec>>;
}

export function isSlabSource(data: VariableSpec['data']): data is SlabSource {
  return typeof data === 'object' && data !== null && 'kind' in data && data.kind === 'slabs';
}
