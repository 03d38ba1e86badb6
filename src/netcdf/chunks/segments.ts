/** Copies `length` elements from element `from` of a chunk to element `to` of the region. */
export type SegmentCopy = (from: number, to: number, length: number) => void;

/** Visit the rows of the box [lo, hi) of a chunk (origin `chunkOrigin`) inside a region (origin `regionOrigin`). */
export function forEachSegment(
  chunkOrigin: readonly number[],
  srcStrides: readonly number[],
  regionOrigin: readonly number[],
  dstStrides: readonly number[],
  lo: readonly number[],
  hi: readonly number[],
  rank: number,
  copy: SegmentCopy,
): void {
  const rowLength = hi[rank - 1]! - lo[rank - 1]!;
  const position = [...lo];
  for (;;) {
    let s = 0;
    let t = 0;
    for (let d = 0; d < rank; d++) {
      s += (position[d]! - chunkOrigin[d]!) * srcStrides[d]!;
      t += (position[d]! - regionOrigin[d]!) * dstStrides[d]!;
    }
    copy(s, t, rowLength);
    let d = rank - 2;
    while (d >= 0 && position[d] === hi[d]! - 1) {
      position[d] = lo[d]!;
      d--;
    }
    if (d < 0) break;
    position[d]!++;
  }
}

/** Row-major position of chunk `index` in a grid of `grid` chunks per dimension (the chunk table's order). */
export function linearChunk(grid: readonly number[], index: readonly number[]): number {
  let linear = 0;
  for (let d = 0; d < index.length; d++) linear = linear * grid[d]! + index[d]!;
  return linear;
}

/**
 * Visit the chunk indices of the box [first, last] in row-major order while `visit` returns true; true when it
 * returned true for every one.
 */
export function forEachChunk(
  first: readonly number[],
  last: readonly number[],
  visit: (index: number[]) => boolean,
): boolean {
  const index = [...first];
  for (;;) {
    if (!visit(index)) return false;
    let d = index.length - 1;
    while (d >= 0 && index[d] === last[d]) {
      index[d] = first[d]!;
      d--;
    }
    if (d < 0) return true;
    index[d]!++;
  }
}
