import { statSync } from 'node:fs';
import { ProductReadError } from '../errors.js';

/**
 * Refuse, in one line naming the file, what no HDF5 reader could open: a missing path, a directory, a device, pipe or
 * socket (HDF5 reads by offset; /dev/zero would be read for ever), an empty file.
 */
export function checkReadable(path: string): void {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new ProductReadError(path, 'file not found (check the path)');
  }
  if (stats.isDirectory()) throw new ProductReadError(path, 'is a directory, expected a netCDF4/HDF5 file');
  if (!stats.isFile())
    throw new ProductReadError(path, 'is not a regular file (a device, pipe or socket); give a netCDF4/HDF5 file');
  if (stats.size === 0) throw new ProductReadError(path, 'file is empty');
}
