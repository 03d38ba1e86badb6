import type { NumericArray } from './model.js';
import type { RegionView } from './reader.js';

/** Element offset of row `r` of a region with `count` elements per dimension, laid out with `strides`. */
export function rowOffsets(
  count: readonly number[],
  strides: readonly number[],
  offset: number,
): (r: number) => number {
  const rank = count.length;
  if (rank <= 1) return () => offset;
  return (r) => {
    let at = offset;
    let rest = r;
    for (let d = rank - 2; d >= 0; d--) {
      const c = count[d]!;
      at += (rest % c) * strides[d]!;
      rest = Math.floor(rest / c);
    }
    return at;
  };
}

/** Elements in a row of a region: its last count (1 for a scalar). */
export function rowLengthOf(count: readonly number[]): number {
  return count.length === 0 ? 1 : count[count.length - 1]!;
}

/** Rows of a region: the product of every count but the last. */
export function rowsOf(count: readonly number[]): number {
  return count.slice(0, -1).reduce((n, c) => n * c, 1);
}

/** A region inside a typed array: element [i0, i1, ...] at data[offset + Σ i_d·strides[d]] (last stride 1). */
export function stridedView(
  data: NumericArray,
  offset: number,
  strides: readonly number[],
  count: readonly number[],
): RegionView {
  const rowLength = rowLengthOf(count);
  const at = rowOffsets(count, strides, offset);
  const big = data instanceof BigInt64Array || data instanceof BigUint64Array;
  return {
    rows: rowsOf(count),
    rowLength,
    readRow(r, into) {
      const start = at(r);
      if (big) {
        for (let j = 0; j < rowLength; j++) into[j] = Number(data[start + j]!);
      } else {
        into.set((data as Float64Array).subarray(start, start + rowLength));
      }
    },
  };
}
