import { readUnsigned, type FileBytes } from './file-bytes.js';

export interface HeaderMessage {
  readonly type: number;
  readonly data: Buffer;
  /** HDF5 address of the message body (for the writer that patches messages in place). */
  readonly at: number;
}

const CONTINUATION = 0x10;
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
  if (prefix[0] !== 1) throw new Error(`unsupported object header version ${prefix[0]}`);
  const messageCount = prefix.readUInt16LE(2);
  const firstBlockSize = prefix.readUInt32LE(8);
  const blocks: [number, number][] = [[address + 16, firstBlockSize]];
  const messages: HeaderMessage[] = [];
  for (let b = 0; b < blocks.length && b < MAX_HEADER_BLOCKS && messages.length < messageCount; b++) {
    const [start, size] = blocks[b] as [number, number];
    const block = file.readAddress(start, size);
    for (let p = 0; p + 8 <= size && messages.length < messageCount; ) {
      const type = block.readUInt16LE(p);
      const length = block.readUInt16LE(p + 2);
      const data = block.subarray(p + 8, p + 8 + length);
      messages.push({ type, data, at: start + p + 8 });
      if (type === CONTINUATION) blocks.push(continuationOf(file, data));
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
  for (let b = 0; b < blocks.length && b < MAX_HEADER_BLOCKS; b++) {
    const [start, end] = blocks[b] as [number, number];
    const block = file.readAddress(start, end - start);
    const headerSize = withOrder ? 6 : 4;
    for (let q = 0; q + headerSize <= block.length; ) {
      const type = block[q] ?? 0;
      const length = block.readUInt16LE(q + 1);
      const data = block.subarray(q + headerSize, q + headerSize + length);
      if (type !== 0) messages.push({ type, data, at: start + q + headerSize });
      if (type === CONTINUATION) {
        const [at, size] = continuationOf(file, data);
        // A continuation block is "OCHK", messages, then a 4-byte checksum.
        blocks.push([at + 4, at + size - 4]);
      }
      q += headerSize + length;
    }
  }
  return messages;
}
