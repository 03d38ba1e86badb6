import { readUnsigned, type FileBytes } from './file-bytes.js';
import { Hdf5FormatError, Hdf5Unsupported } from './errors.js';

const SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface Superblock {
  readonly version: number;
  /** Object header address of the root group. */
  readonly rootAddress: number;
  /** Where the superblock says the file ends: the file's size when it was closed. */
  readonly endOfFile: number;
}

/**
 * Find the HDF5 superblock (at 0, 512, 1024, ... when a user block precedes it) and record the sizes of file
 * addresses and lengths and the base address that every other address is relative to.
 */
export function readSuperblock(file: FileBytes, fileSize: number): Superblock {
  for (let at = 0; at + 64 <= fileSize; at = at === 0 ? 512 : at * 2) {
    const head = file.readAt(at, Math.min(128, fileSize - at));
    if (!head.subarray(0, 8).equals(SIGNATURE)) continue;
    const version = head[8] ?? -1;
    if (version === 0 || version === 1) {
      const o = (file.offsetSize = head[13] ?? 8);
      file.lengthSize = head[14] ?? 8;
      const base = version === 0 ? 24 : 28;
      file.baseAddress = readUnsigned(head, base, o);
      // Base, free-space, end-of-file and driver addresses, then the root group's symbol table entry
      // (link name offset, object header address, ...).
      return { version, endOfFile: readUnsigned(head, base + 2 * o, o), rootAddress: readUnsigned(head, base + 5 * o, o) };
    }
    if (version === 2 || version === 3) {
      const o = (file.offsetSize = head[9] ?? 8);
      file.lengthSize = head[10] ?? 8;
      file.baseAddress = readUnsigned(head, 12, o);
      return { version, endOfFile: readUnsigned(head, 12 + 2 * o, o), rootAddress: readUnsigned(head, 12 + 3 * o, o) };
    }
    throw new Hdf5Unsupported(`HDF5 superblock version ${version}`);
  }
  throw new Hdf5FormatError('HDF5 signature not found');
}
