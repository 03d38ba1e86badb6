import { readUnsigned, type FileBytes } from './file-bytes.js';
import { Hdf5FormatError } from './errors.js';

export interface HeaderMessage {
  readonly type: number;
  readonly data: Buffer;
  /** HDF5 address of the message body (for the writer that patches messages in place). */
  readonly at: number;
  /** Message flags; bit 1 (0x02) means the body is a reference to a shared message, not the message itself. */
  readonly flags: number;
  /** The message's creation index, where the object header tracks it (version 2 headers); else its position. */
  readonly creationOrder: number;
}

export const MESSAGE = {
  DATASPACE: 0x01,
  LINK_INFO: 0x02,
  DATATYPE: 0x03,
  FILL_VALUE_OLD: 0x04,
  FILL_VALUE: 0x05,
  LINK: 0x06,
  EXTERNAL_FILES: 0x07,
  LAYOUT: 0x08,
  FILTER_PIPELINE: 0x0b,
  ATTRIBUTE: 0x0c,
  CONTINUATION: 0x10,
  SYMBOL_TABLE: 0x11,
  ATTRIBUTE_INFO: 0x15,
} as const;

export const SHARED_MESSAGE_FLAG = 0x02;

const MAX_HEADER_BLOCKS = 64;

/** All messages of the object header at `address` (version 1 or 2), following continuation blocks. */
export function readHeaderMessages(file: FileBytes, address: number): HeaderMessage[] {
  const probe = file.readAddress(address, 4);
  return probe.toString('latin1') === 'OHDR' ? readVersion2(file, address) : readVersion1(file, address);
}

function continuationOf(file: FileBytes, data: Buffer): [number, number] {
  return [readUnsigned(data, 0, file.offsetSize), readUnsigned(data, file.offsetSize, file.lengthSize)];
}

function readVersion1(file: FileBytes, address: number): HeaderMessage[] {
  const prefix = file.readAddress(address, 16);
  if (prefix[0] !== 1) throw new Hdf5FormatError(`no object header at address ${address} (version ${prefix[0]})`);
  const messageCount = prefix.readUInt16LE(2);
  const firstBlockSize = prefix.readUInt32LE(8);
  const blocks: [number, number][] = [[address + 16, firstBlockSize]];
  const messages: HeaderMessage[] = [];
  let position = 0;
  for (let b = 0; b < blocks.length && b < MAX_HEADER_BLOCKS && position < messageCount; b++) {
    const [start, size] = blocks[b] as [number, number];
    const block = file.readAddress(start, size);
    for (let p = 0; p + 8 <= size && position < messageCount; position++) {
      const type = block.readUInt16LE(p);
      const length = block.readUInt16LE(p + 2);
      const flags = block[p + 4] ?? 0;
      if (p + 8 + length > size) throw new Hdf5FormatError(`object header message at address ${start + p} runs past its block`);
      const data = block.subarray(p + 8, p + 8 + length);
      if (type !== 0) messages.push({ type, data, at: start + p + 8, flags, creationOrder: position });
      if (type === MESSAGE.CONTINUATION) blocks.push(continuationOf(file, data));
      p += 8 + length;
    }
  }
  return messages;
}

function readVersion2(file: FileBytes, address: number): HeaderMessage[] {
  const head = file.readAddress(address, 32);
  const flags = head[5] ?? 0;
  let p = 6;
  if (flags & 0x20) p += 16;
  if (flags & 0x10) p += 4;
  const sizeBytes = 1 << (flags & 0x03);
  const chunkSize = readUnsigned(head, p, sizeBytes);
  p += sizeBytes;
  const withOrder = (flags & 0x04) !== 0;
  const messages: HeaderMessage[] = [];
  // Each block: [start of messages, end of messages (before the checksum)].
  const blocks: [number, number][] = [[address + p, address + p + chunkSize]];
  const headerSize = withOrder ? 6 : 4;
  for (let b = 0; b < blocks.length && b < MAX_HEADER_BLOCKS; b++) {
    const [start, end] = blocks[b] as [number, number];
    const block = file.readAddress(start, end - start);
    for (let q = 0; q + headerSize <= block.length; ) {
      const type = block[q] ?? 0;
      const length = block.readUInt16LE(q + 1);
      const messageFlags = block[q + 3] ?? 0;
      if (q + headerSize + length > block.length) throw new Hdf5FormatError(`object header message at address ${start + q} runs past its block`);
      const data = block.subarray(q + headerSize, q + headerSize + length);
      const creationOrder = withOrder ? block.readUInt16LE(q + 4) : messages.length;
      if (type !== 0) messages.push({ type, data, at: start + q + headerSize, flags: messageFlags, creationOrder });
      if (type === MESSAGE.CONTINUATION) {
        const [at, size] = continuationOf(file, data);
        // A continuation block is "OCHK", messages, then a 4-byte checksum.
        blocks.push([at + 4, at + size - 4]);
      }
      q += headerSize + length;
    }
  }
  return messages;
}
