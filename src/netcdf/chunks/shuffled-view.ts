import { bytesPerElement, type NumericDType } from '../model.js';
import type { RegionView } from '../reader.js';
import { viewAs } from '../typed-arrays.js';
import { unshuffleRow } from '../../wasm/kernels.js';
import { rowLengthOf, rowOffsets, rowsOf } from '../views.js';

/**
 * A region of a chunk whose bytes are still shuffled (HDF5 shuffle filter: all first bytes, then all second
 * bytes, ...). Rows are unshuffled only when read, into a small scratch row, so a decoded chunk never exists twice
 * in memory and the unshuffled bytes stay in cache for the comparison that follows.
 */
export function shuffledView(
  planes: Uint8Array,
  dtype: NumericDType,
  elementsPerChunk: number,
  strides: readonly number[],
  offset: number,
  count: readonly number[],
): RegionView {
  const rowLength = rowLengthOf(count);
  const rows = rowsOf(count);
  const rowStart = rowOffsets(count, strides, offset);
  // The layers that matter (float32 values, 16-bit labels) are unshuffled by the SIMD kernel.
  if (dtype === 'f4' || dtype === 'i2' || dtype === 'u2') {
    return {
      rows,
      rowLength,
      readRow: (r, into) => unshuffleRow(planes, elementsPerChunk, rowStart(r), rowLength, dtype, into),
    };
  }
  const size = bytesPerElement(dtype);
  const scratch = new Uint8Array(rowLength * size);
  const values = viewAs(dtype, scratch);
  const big = dtype === 'i8' || dtype === 'u8';
  const n = elementsPerChunk;
  return {
    rows,
    rowLength,
    readRow(r, into) {
      const e0 = rowStart(r);
      for (let i = 0; i < rowLength; i++)
        for (let b = 0; b < size; b++) scratch[i * size + b] = planes[b * n + e0 + i]!;
      if (big) for (let j = 0; j < rowLength; j++) into[j] = Number((values as BigInt64Array)[j]!);
      else into.set(values as Float64Array);
    },
  };
}
