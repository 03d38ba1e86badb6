import { readUnsigned, type FileBytes } from './file-bytes.js';
import { Hdf5FormatError } from './errors.js';

const SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
const FIELD_SIZES = new Set([2, 4, 8]);

/**
 * Find the HDF5 superblock (at 0, 512, 1024, ... when a user block precedes it), as HDF5 itself does, and record
 * the sizes of file addresses and lengths and the base address that every other address is relative to.
 */
export function readSuperblock(file: FileBytes): void {
  for (let at = 0; at + 48 <= file.size; at = at === 0 ? 512 : at * 2) {
    const head = file.readAt(at, Math.min(64, file.size - at));
    if (!head.subarray(0, 8).equals(SIGNATURE)) continue;
    const version = head[8]!;
    let base: number;
    if (version === 0 || version === 1) {
      file.offsetSize = head[13]!;
      file.lengthSize = head[14]!;
      base = version === 0 ? 24 : 28;
    } else if (version === 2 || version === 3) {
      file.offsetSize = head[9]!;
      file.lengthSize = head[10]!;
      base = 12;
    } else {
      throw new Hdf5FormatError(`superblock version ${version} at byte ${at}`);
    }
    if (!FIELD_SIZES.has(file.offsetSize) || !FIELD_SIZES.has(file.lengthSize)) {
      throw new Hdf5FormatError(
        `superblock declares ${file.offsetSize}-byte addresses and ${file.lengthSize}-byte lengths`,
      );
    }
    const address = readUnsigned(head, base, file.offsetSize);
    if (!Number.isFinite(address) || address > file.size)
      throw new Hdf5FormatError(`superblock base address ${address} is outside the file`);
    file.baseAddress = address;
    return;
  }
  throw new Hdf5FormatError('no HDF5 superblock');
}
