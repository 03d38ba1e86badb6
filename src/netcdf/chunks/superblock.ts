import { readUnsigned, type FileBytes } from './file-bytes.js';

const SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Find the HDF5 superblock (at 0, 512, 1024, ... when a user block precedes it) and record the sizes of file
 * addresses and lengths and the base address that every other address is relative to.
 */
export function readSuperblock(file: FileBytes, fileSize: number): void {
  for (let at = 0; at + 64 <= fileSize; at = at === 0 ? 512 : at * 2) {
    const head = file.readAt(at, 64);
    if (!head.subarray(0, 8).equals(SIGNATURE)) continue;
    const version = head[8] ?? -1;
    if (version === 0 || version === 1) {
      file.offsetSize = head[13] ?? 8;
      file.lengthSize = head[14] ?? 8;
      file.baseAddress = readUnsigned(head, version === 0 ? 24 : 28, file.offsetSize);
    } else if (version === 2 || version === 3) {
      file.offsetSize = head[9] ?? 8;
      file.lengthSize = head[10] ?? 8;
      file.baseAddress = readUnsigned(head, 12, file.offsetSize);
    } else {
      throw new Error(`unsupported HDF5 superblock version ${version}`);
    }
    return;
  }
  throw new Error('HDF5 signature not found');
}
