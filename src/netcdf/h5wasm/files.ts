import type { File as H5File } from 'h5wasm/node';
import { checkReadable } from '../file-checks.js';
import { translateHdf5Error } from './errors.js';
import { loadH5wasm, onH5wasmDiscarded } from './module.js';

interface OpenFile {
  readonly file: H5File;
  users: number;
}

/** Files open in this thread's h5wasm instance, shared by every reader and region source of the same path. */
const open = new Map<string, OpenFile>();
// The files of a crashed HDF5 instance cannot even be closed: they are dropped with it.
onH5wasmDiscarded(() => open.clear());

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
