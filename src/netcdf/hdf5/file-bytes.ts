import { closeSync, openSync, readSync } from 'node:fs';

/** Positioned reads of a file, with the HDF5 superblock's address size and base address applied. */
export class FileBytes {
  readonly fd: number;
  offsetSize = 8;
  lengthSize = 8;
  baseAddress = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
  }

  /** Read `length` bytes at absolute file position `position`; throws if the file ends first. */
  readAt(position: number, length: number, into?: Buffer): Buffer {
    const buffer = into ?? Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, buffer, done, length - done, position + done);
      if (n === 0) throw new RangeError(`unexpected end of file at byte ${position + done} (wanted ${length} bytes at ${position})`);
      done += n;
    }
    return buffer;
  }

  /** Read at an HDF5 address (relative to the superblock's base address). */
  readAddress(address: number, length: number, into?: Buffer): Buffer {
    return this.readAt(this.baseAddress + address, length, into);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Little-endian unsigned integer of 1..8 bytes; exact up to 2^53. */
export function readUnsigned(buffer: Buffer, at: number, size: number): number {
  if (size === 8) {
    const value = buffer.readBigUInt64LE(at);
    return value === 0xffffffffffffffffn ? Number.POSITIVE_INFINITY : Number(value);
  }
  return buffer.readUIntLE(at, size);
}
