import { renameSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Write a file so that no reader ever sees part of it: the bytes go to a temporary name beside it (unique to this
 * process), which is then renamed over the final name. A failed write leaves the old file, if any, untouched.
 */
export function writeFileAtomic(path: string, content: string | NodeJS.ArrayBufferView, suffix = '.partial'): void {
  const partial = `${path}${suffix}-${process.pid}`;
  try {
    writeFileSync(partial, content);
    renameSync(partial, path);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}
