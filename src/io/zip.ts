import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

/**
 * Reading entries of a ZIP archive by random access: from memory (frame tables, aux-cal bundles) or from a file
 * on disk without reading all of it (a 4-8 GB Sentinel-1 SLC zip, to take one annotation file out of it). ZIP64
 * archives are understood, since SLC zips are larger than 4 GiB; encrypted entries are refused by name.
 */

export interface ZipEntry {
  readonly name: string;
  readonly directory: boolean;
  readonly size: number;
  read(): Buffer;
}

interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Buffer;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END = 0x06064b50;
const CENTRAL_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const MAX_COMMENT = 65_535;

function bufferSource(buffer: Buffer): ByteSource {
  return {
    size: buffer.length,
    read: (offset, length) => buffer.subarray(offset, Math.min(buffer.length, offset + length)),
  };
}

function u64(buffer: Buffer, at: number): number {
  return Number(buffer.readBigUInt64LE(at));
}

/** The 64-bit sizes and offset of a ZIP64 extra field, for those fields the central entry marks 0xFFFFFFFF. */
function zip64Values(
  extra: Buffer,
  wanted: { size: boolean; compressed: boolean; offset: boolean },
): { size?: number; compressed?: number; offset?: number } {
  for (let at = 0; at + 4 <= extra.length;) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let p = at + 4;
      const out: { size?: number; compressed?: number; offset?: number } = {};
      if (wanted.size) {
        out.size = u64(extra, p);
        p += 8;
      }
      if (wanted.compressed) {
        out.compressed = u64(extra, p);
        p += 8;
      }
      if (wanted.offset) out.offset = u64(extra, p);
      return out;
    }
    at += 4 + length;
  }
  return {};
}

function readEntries(source: ByteSource, label: string): ZipEntry[] {
  const tailLength = Math.min(source.size, 22 + MAX_COMMENT + 20);
  const tail = source.read(source.size - tailLength, tailLength);
  let end = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error(`${label} is not a ZIP archive (no end of central directory)`);
  let count = tail.readUInt16LE(end + 10);
  let directorySize = tail.readUInt32LE(end + 12);
  let directoryOffset = tail.readUInt32LE(end + 16);
  if (end >= 20 && tail.readUInt32LE(end - 20) === ZIP64_LOCATOR) {
    const zip64End = source.read(u64(tail, end - 20 + 8), 56);
    if (zip64End.readUInt32LE(0) !== ZIP64_END) throw new Error(`${label}: damaged ZIP64 end of central directory`);
    count = u64(zip64End, 32);
    directorySize = u64(zip64End, 40);
    directoryOffset = u64(zip64End, 48);
  }
  const directory = source.read(directoryOffset, directorySize);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let n = 0; n < count; n++) {
    if (directory.readUInt32LE(at) !== CENTRAL_ENTRY) throw new Error(`${label}: damaged central directory`);
    const flags = directory.readUInt16LE(at + 8);
    const method = directory.readUInt16LE(at + 10);
    let compressed = directory.readUInt32LE(at + 20);
    let size = directory.readUInt32LE(at + 24);
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    let localOffset = directory.readUInt32LE(at + 42);
    const name = directory.toString('utf8', at + 46, at + 46 + nameLength);
    const extra = directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
    const big = zip64Values(extra, {
      size: size === 0xffffffff,
      compressed: compressed === 0xffffffff,
      offset: localOffset === 0xffffffff,
    });
    size = big.size ?? size;
    compressed = big.compressed ?? compressed;
    localOffset = big.offset ?? localOffset;
    at += 46 + nameLength + extraLength + commentLength;
    entries.push({
      name,
      directory: name.endsWith('/'),
      size,
      read() {
        if (flags & 1) throw new Error(`${label}: ${name} is encrypted`);
        const header = source.read(localOffset, 30);
        if (header.readUInt32LE(0) !== LOCAL_HEADER) throw new Error(`${label}: damaged entry ${name}`);
        const data = source.read(localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28), compressed);
        if (method === 0) return Buffer.from(data);
        if (method === 8) {
          const out = inflateRawSync(data);
          if (out.length !== size)
            throw new Error(`${label}: ${name} inflates to ${out.length} bytes, expected ${size}`);
          return out;
        }
        throw new Error(`${label}: ${name} uses compression method ${method}, which is not supported`);
      },
    });
  }
  return entries;
}

/** The entries of an archive held in memory. */
export function zipEntries(archive: Buffer, label = 'archive'): ZipEntry[] {
  return readEntries(bufferSource(archive), label);
}

/** Read the entries chosen by `pick` from an archive on disk, reading only the central directory and those entries. */
export function readZipFile<T>(path: string, pick: (entries: readonly ZipEntry[]) => T): T {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const source: ByteSource = {
      size,
      read(offset, length) {
        const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
        let done = 0;
        while (done < buffer.length) {
          const n = readSync(fd, buffer, done, buffer.length - done, offset + done);
          if (n === 0) break;
          done += n;
        }
        return buffer;
      },
    };
    return pick(readEntries(source, path));
  } finally {
    closeSync(fd);
  }
}
