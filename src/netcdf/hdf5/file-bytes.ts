import { closeSync, fstatSync, openSync } from 'node:fs';
import { readFully } from '../../io/read-fully.js';
import { Hdf5FormatError } from './errors.js';

/**
 * Positioned reads of a file, with the HDF5 superblock's address size and base address applied. Every read is
 * checked against the file's size before a buffer is allocated, so a damaged length or address is refused as
 * damage instead of allocating what the bytes claim.
 */
export class FileBytes {
  readonly fd: number;
  readonly size: number;
  offsetSize = 8;
  lengthSize = 8;
  baseAddress = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
  }

  /** Read `length` bytes at absolute file position `position`; throws if they are not all in the file. */
  readAt(position: number, length: number, into?: Buffer): Buffer {
    if (
      !Number.isSafeInteger(position) ||
      !Number.isSafeInteger(length) ||
      position < 0 ||
      length < 0 ||
      position + length > this.size
    ) {
      throw new Hdf5FormatError(`${length} bytes at byte ${position} lie outside the file (${this.size} bytes)`);
    }
    const buffer = into ?? Buffer.allocUnsafe(length);
    readFully(
      this.fd,
      buffer.subarray(0, length),
      position,
      (done) =>
        new Hdf5FormatError(`the file ended at byte ${position + done} while ${length} bytes at ${position} were read`),
    );
    return buffer;
  }

  /** Read at an HDF5 address (relative to the superblock's base address). */
  readAddress(address: number, length: number, into?: Buffer): Buffer {
    return this.readAt(this.baseAddress + address, length, into);
  }

  /** Whether `length` bytes at HDF5 address `address` lie inside the file. */
  holds(address: number, length: number): boolean {
    const position = this.baseAddress + address;
    return (
      Number.isSafeInteger(position) &&
      Number.isSafeInteger(length) &&
      address >= 0 &&
      length >= 0 &&
      position + length <= this.size
    );
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** The HDF5 "undefined address" (all bits set), read by {@link readUnsigned} as this value. */
export const UNDEFINED_ADDRESS = Number.POSITIVE_INFINITY;

/** Little-endian unsigned integer of 1..8 bytes; exact up to 2^53, larger values are reported as damage. */
export function readUnsigned(buffer: Buffer, at: number, size: number): number {
  if (size === 8) {
    const value = buffer.readBigUInt64LE(at);
    if (value === 0xffffffffffffffffn) return UNDEFINED_ADDRESS;
    if (value > BigInt(Number.MAX_SAFE_INTEGER))
      throw new Hdf5FormatError(`a size or address of ${value} at byte ${at} of a structure is beyond any file`);
    return Number(value);
  }
  if (size !== 1 && size !== 2 && size !== 4) throw new Hdf5FormatError(`a ${size}-byte size or address field`);
  const value = buffer.readUIntLE(at, size);
  return value === 2 ** (8 * size) - 1 ? UNDEFINED_ADDRESS : value;
}
