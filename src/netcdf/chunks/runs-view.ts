import { rowMajorStrides, type RegionView } from '../reader.js';
import { rowsOf } from '../views.js';
import type { ChunkRuns } from './runs.js';

/**
 * A region of a chunked variable whose chunks are held as runs (by linear chunk index in `runs`). Each row is filled
 * run by run from the chunks it crosses, so a region that straddles chunk boundaries needs no assembled copy.
 */
export function runsView(
  runs: ReadonlyMap<number, ChunkRuns>,
  chunks: readonly number[],
  grid: readonly number[],
  start: readonly number[],
  count: readonly number[],
): RegionView {
  const rank = count.length;
  const lastDim = rank - 1;
  const rowLength = count[lastDim]!;
  const chunkStrides = rowMajorStrides(chunks);
  const gridStrides = rowMajorStrides(grid);
  const width = chunks[lastDim]!;
  /** Visit the pieces of row `r`: (chunk runs, first element in the chunk, length, column in the row). */
  const forEachPiece = (r: number, visit: (runs: ChunkRuns, from: number, n: number, column: number) => void): void => {
    // The chunk row this region row lies in (leading dimensions) and the row's offset inside those chunks.
    let linear = 0;
    let offset = 0;
    let rest = r;
    for (let d = rank - 2; d >= 0; d--) {
      const x = start[d]! + (rest % count[d]!);
      rest = Math.floor(rest / count[d]!);
      const c = Math.floor(x / chunks[d]!);
      linear += c * gridStrides[d]!;
      offset += (x - c * chunks[d]!) * chunkStrides[d]!;
    }
    const end = start[lastDim]! + rowLength;
    for (let x = start[lastDim]!; x < end;) {
      const c = Math.floor(x / width);
      const n = Math.min((c + 1) * width, end) - x;
      visit(runs.get(linear + c)!, offset + x - c * width, n, x - start[lastDim]!);
      x += n;
    }
  };
  return {
    rows: rowsOf(count),
    rowLength,
    readRow(r, into) {
      forEachPiece(r, (chunk, from, n, column) => chunk.fill(from, n, into, column));
    },
    readRowRuns(r, starts, values) {
      let k = 0;
      forEachPiece(r, (chunk, from, n, column) => {
        k = chunk.runsIn(from, n, column, starts, values, k);
      });
      return k;
    },
  };
}
