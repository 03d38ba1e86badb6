import { readUnsigned, type FileBytes } from './file-bytes.js';
import { Hdf5FormatError } from './errors.js';

export interface HeaderMessage {
  readonly type: number;
  readonly data: Buffer;
  /** HDF5 address of the message body (for the writer that patches messages in place). */
  readonly at: number;
  /** Message flags; bit 1 (0x02) means the body is a reference to a shared message, not the message itself. */
  readonly flags: number;
}

/** Object header message types this project reads or writes. */
export const MESSAGE = {
  DATASPACE: 0x01,
  LINK_INFO: 0x02,
  DATATYPE: 0x03,
  FILL_VALUE_OLD: 0x04,
  FILL_VALUE: 0x05,
  LINK: 0x06,
  LAYOUT: 0x08,
  FILTER_PIPELINE: 0x0b,
  ATTRIBUTE: 0x0c,
  CONTINUATION: 0x10,
  SYMBOL_TABLE: 0x11,
  ATTRIBUTE_INFO: 0x15,
} as const;

export const SHARED_MESSAGE_FLAG = 0x02;

/** More header blocks than any HDF5 library writes for one object: beyond it, the continuations loop. */
const MAX_HEADER_BLOCKS = 4096;

/**
 * All messages of the object header at `address` (version 1 or 2), following continuation blocks. Blocks that lie
 * outside the file, overlap a block already read (a loop) or hold messages running past their end are damage.
 */
export function readHeaderMessages(file: FileBytes, address: number): HeaderMessage[] {
  if (!file.holds(address, 16)) throw new Hdf5FormatError(`object header address ${address} is outside the file`);
  const probe = file.readAddress(address, 4);
  return probe.toString('latin1') === 'OHDR' ? readVersion2(file, address) : readVersion1(file, address);
}

/** Queue of header blocks to read, refusing loops and blocks outside the file. */
class Blocks {
  private readonly seen = new Set<number>();
  readonly queue: [number, number][] = [];

  constructor(private readonly file: FileBytes) {}

  add(start: number, size: number): void {
    if (!this.file.holds(start, size))
      throw new Hdf5FormatError(`object header block of ${size} bytes at address ${start} is outside the file`);
    if (this.seen.has(start))
      throw new Hdf5FormatError(`object header continuation at address ${start} loops back to a block already read`);
    if (this.queue.length >= MAX_HEADER_BLOCKS)
      throw new Hdf5FormatError(`object header has more than ${MAX_HEADER_BLOCKS} blocks`);
    this.seen.add(start);
    this.queue.push([start, size]);
  }
}

function continuationOf(file: FileBytes, data: Buffer): [number, number] {
  if (data.length < file.offsetSize + file.lengthSize)
    throw new Hdf5FormatError('object header continuation message is too short');
  return [readUnsigned(data, 0, file.offsetSize), readUnsigned(data, file.offsetSize, file.lengthSize)];
}

function readVersion1(file: FileBytes, address: number): HeaderMessage[] {
  const prefix = file.readAddress(address, 16);
  if (prefix[0] !== 1) throw new Hdf5FormatError(`no object header at address ${address} (version ${prefix[0]})`);
  const messageCount = prefix.readUInt16LE(2);
  const blocks = new Blocks(file);
  blocks.add(address + 16, prefix.readUInt32LE(8));
  const messages: HeaderMessage[] = [];
  let position = 0;
  for (let b = 0; b < blocks.queue.length && position < messageCount; b++) {
    const [start, size] = blocks.queue[b]!;
    const block = file.readAddress(start, size);
    for (let p = 0; p + 8 <= size && position < messageCount; position++) {
      const type = block.readUInt16LE(p);
      const length = block.readUInt16LE(p + 2);
      const flags = block[p + 4]!;
      if (p + 8 + length > size)
        throw new Hdf5FormatError(`object header message at address ${start + p} runs past its block`);
      const data = block.subarray(p + 8, p + 8 + length);
      if (type !== 0) messages.push({ type, data, at: start + p + 8, flags });
      if (type === MESSAGE.CONTINUATION) blocks.add(...continuationOf(file, data));
      p += 8 + length;
    }
  }
  return messages;
}

function readVersion2(file: FileBytes, address: number): HeaderMessage[] {
  const head = file.readAddress(address, 16);
  if (head[4] !== 2) throw new Hdf5FormatError(`object header at address ${address} has version ${head[4]}`);
  const flags = head[5]!;
  let p = 6;
  if (flags & 0x20) p += 16;
  if (flags & 0x10) p += 4;
  const sizeBytes = 1 << (flags & 0x03);
  const prefix = file.readAddress(address, p + sizeBytes);
  const chunkSize = readUnsigned(prefix, p, sizeBytes);
  p += sizeBytes;
  const withOrder = (flags & 0x04) !== 0;
  const messages: HeaderMessage[] = [];
  const blocks = new Blocks(file);
  // Each block: its messages, then a 4-byte checksum (HDF5 verified it when it opened the object).
  blocks.add(address + p, chunkSize);
  const headerSize = withOrder ? 6 : 4;
  for (let b = 0; b < blocks.queue.length; b++) {
    const [start, size] = blocks.queue[b]!;
    const block = file.readAddress(start, size);
    for (let q = 0; q + headerSize <= block.length;) {
      const type = block[q]!;
      const length = block.readUInt16LE(q + 1);
      const messageFlags = block[q + 3]!;
      if (q + headerSize + length > block.length)
        throw new Hdf5FormatError(`object header message at address ${start + q} runs past its block`);
      const data = block.subarray(q + headerSize, q + headerSize + length);
      if (type !== 0) messages.push({ type, data, at: start + q + headerSize, flags: messageFlags });
      if (type === MESSAGE.CONTINUATION) {
        const [at, continued] = continuationOf(file, data);
        // A continuation block is "OCHK", messages, then the checksum.
        if (continued < 8)
          throw new Hdf5FormatError(`object header continuation at address ${at} is ${continued} bytes`);
        blocks.add(at + 4, continued - 8);
      }
      q += headerSize + length;
    }
  }
  return messages;
}
