import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';

/**
 * Writes a raster's binary file block of rows by block under `<path>.partial`, renamed to `path` only when every
 * row is written; on any failure the partial file is removed, so nothing incomplete is left that looks done.
 * `block(row0, rows)` makes rows [row0, row0 + rows); every tenth block is reported through `log`.
 */
export async function writeRowBlocks(
  path: string,
  length: number,
  blockRows: number,
  block: (row0: number, rows: number) => Promise<ArrayBufferView> | ArrayBufferView,
  progress?: { readonly log: (line: string) => void; readonly label: string },
): Promise<void> {
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w');
  try {
    for (let row0 = 0; row0 < length; row0 += blockRows) {
      const rows = Math.min(blockRows, length - row0);
      const data = await block(row0, rows);
      writeSync(fd, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      if (progress && (row0 / blockRows) % 10 === 0) progress.log(`${progress.label} rows ${row0 + rows} of ${length}`);
    }
  } catch (error) {
    closeSync(fd);
    rmSync(partial, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(partial, path);
}
