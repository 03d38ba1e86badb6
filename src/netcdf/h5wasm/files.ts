import { statSync } from 'node:fs';
import type { File as H5File } from 'h5wasm/node';
import { ProductReadError } from '../../errors.js';
import { translateHdf5Error } from './errors.js';
import { loadH5wasm } from './module.js';

interface OpenFile {
  readonly file: H5File;
  users: number;
}

/** Files open in this thread's h5wasm instance, shared by every reader and region source of the same path. */
const open = new Map<string, OpenFile>();

function checkReadable(path: string): void {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new ProductReadError(path, 'file not found (check the path)');
  }
  if (stats.isDirectory()) throw new ProductReadError(path, 'is a directory, expected a netCDF4/HDF5 file');
  if (stats.size === 0) throw new ProductReadError(path, 'file is empty');
}

export async function acquireFile(path: string): Promise<H5File> {
  const existing = open.get(path);
  if (existing) {
    existing.users++;
    return existing.file;
  }
  checkReadable(path);
  const { h5 } = await loadH5wasm();
  let file: H5File;
  try {
    file = new h5.File(path, 'r');
  } catch (error) {
    throw translateHdf5Error(error, path);
  }
  open.set(path, { file, users: 1 });
  return file;
}

export function releaseFile(path: string): void {
  const entry = open.get(path);
  if (!entry) return;
  entry.users--;
  if (entry.users > 0) return;
  open.delete(path);
  entry.file.close();
}
