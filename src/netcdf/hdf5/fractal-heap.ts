import { readUnsigned, type FileBytes } from './file-bytes.js';
import { Hdf5FormatError } from './errors.js';
import { checksumMatches, metadataChecksum } from './checksum.js';
import { btreeRecords, countBytes, readBtreeHeader } from './btree-v2.js';

/**
 * Objects of a fractal heap ("FRHP"), the store HDF5 keeps an object's attribute messages in once they are too
 * many for its header (dense storage). Only what finding an object by its heap ID needs is read: the doubling
 * table of managed blocks, and the B-tree of huge objects. Filtered heaps (HDF5 never filters attribute heaps) are
 * left to HDF5.
 */
export interface FractalHeap {
  /** The object a heap ID names, or null for a tiny object (too small to matter). */
  object(id: Buffer): HeapObject | null;
}

/** A heap object's size and bytes: all of them, or only the first {@link PREVIEW_BYTES} when it is over the limit. */
export interface HeapObject {
  readonly size: number;
  readonly bytes: Buffer;
}

/** Enough of an over-limit object to say what it is (an attribute message's name is near its start). */
const PREVIEW_BYTES = 1024;

/** More blocks than the attribute heap of any product has: beyond it, the table loops. */
const MAX_BLOCKS = 1 << 14;

/** More block bytes than the attribute heap of any product has (a few kilobytes): a bound on what a walk reads. */
const MAX_HEAP_BYTES = 64 * 1024 * 1024;

/** Deeper than any doubling table of a 2^53-byte file. */
const MAX_INDIRECT_DEPTH = 16;

/** Little-endian unsigned integer of 1..8 bytes (heap offsets are often 5 bytes). */
function readSized(buffer: Buffer, at: number, size: number): number {
  if (size <= 6) return buffer.readUIntLE(at, size);
  return readUnsigned(Buffer.concat([buffer.subarray(at, at + size), Buffer.alloc(8 - size)]), 0, 8);
}

function bitsOf(power: number, what: string): number {
  const bits = Math.log2(power);
  if (!Number.isInteger(bits) || bits < 0 || bits > 52) throw new Hdf5FormatError(`fractal heap ${what} of ${power}`);
  return bits;
}

interface Header {
  readonly idLength: number;
  readonly filtered: boolean;
  readonly checksummedBlocks: boolean;
  readonly hugeIndex: number;
  readonly width: number;
  readonly startBlock: number;
  /** log2 of the starting and the largest direct block size (both powers of two). */
  readonly startBits: number;
  readonly maxDirectBits: number;
  readonly heapOffsetBytes: number;
  readonly heapLengthBytes: number;
  readonly root: number;
  readonly rootRows: number;
  readonly maxManaged: number;
}

function readHeader(file: FileBytes, address: number): Header {
  const { offsetSize: O, lengthSize: L } = file;
  const size = 26 + 12 * L + 3 * O;
  if (!file.holds(address, size)) throw new Hdf5FormatError(`fractal heap header at address ${address} is outside`);
  const head = file.readAddress(address, size);
  if (head.toString('latin1', 0, 4) !== 'FRHP' || head[4] !== 0)
    throw new Hdf5FormatError(`no fractal heap header at address ${address}`);
  let p = 14 + L;
  const hugeIndex = readUnsigned(head, p, O);
  p += O + L + O + 8 * L;
  const width = head.readUInt16LE(p);
  const startBlock = readUnsigned(head, p + 2, L);
  const maxDirectBlock = readUnsigned(head, p + 2 + L, L);
  const maxHeapBits = head.readUInt16LE(p + 2 + 2 * L);
  p += 6 + 2 * L;
  const root = readUnsigned(head, p, O);
  const rootRows = head.readUInt16LE(p + O);
  const maxManaged = head.readUInt32LE(10);
  if (width < 1 || width > 65536 || maxHeapBits < 1 || maxHeapBits > 64)
    throw new Hdf5FormatError(`fractal heap at address ${address} has a table ${width} wide of ${maxHeapBits} bits`);
  // The checksum closes the header when no filter information follows.
  if (head.readUInt16LE(7) === 0 && !checksumMatches(head, size - 4))
    throw new Hdf5FormatError(`the fractal heap header at address ${address} fails its checksum`);
  const startBits = bitsOf(startBlock, 'starting block size');
  const maxDirectBits = bitsOf(maxDirectBlock, 'largest direct block size');
  return {
    idLength: head.readUInt16LE(5),
    filtered: head.readUInt16LE(7) > 0,
    checksummedBlocks: (head[9]! & 0x02) !== 0,
    hugeIndex,
    width,
    startBlock,
    startBits,
    maxDirectBits,
    heapOffsetBytes: Math.floor((maxHeapBits + 7) / 8),
    heapLengthBytes: Math.min(Math.floor((maxDirectBits + 7) / 8), countBytes(maxManaged)),
    root,
    rootRows,
    maxManaged,
  };
}

/**
 * Open the fractal heap at `address`, or null for a filtered one (never an attribute heap; left to HDF5). Its
 * objects are read on demand, whole up to `maxObjectBytes`; every block read is checked against its checksum, as
 * HDF5 checks it.
 */
export function openFractalHeap(file: FileBytes, address: number, maxObjectBytes: number): FractalHeap | null {
  const header = readHeader(file, address);
  if (header.filtered) return null;
  const { width, startBlock, heapOffsetBytes, heapLengthBytes } = header;
  const O = file.offsetSize;
  const maxDirectRows = header.maxDirectBits - header.startBits + 2;
  const firstRowBits = header.startBits + Math.log2(width);
  const rowBlockSize = (row: number): number => startBlock * 2 ** Math.max(row - 1, 0);
  const rowOffset = (row: number): number => (row === 0 ? 0 : width * startBlock * 2 ** (row - 1));
  const blockPrefix = 5 + O + heapOffsetBytes;
  const blocks = new Map<number, Buffer>();
  let blockBytes = 0;
  let hugeObjects: Map<number, [number, number]> | null = null;

  /** A block of the heap, checked: its signature, the heap offset it says it starts at, its checksum. */
  const block = (kind: 'FHIB' | 'FHDB', at: number, size: number, base: number): Buffer => {
    const known = blocks.get(at);
    if (known) return known;
    if (size < blockPrefix + 4) throw new Hdf5FormatError(`a heap block of ${size} bytes cannot hold its header`);
    blockBytes += size;
    if (blocks.size >= MAX_BLOCKS || blockBytes > MAX_HEAP_BYTES)
      throw new Hdf5FormatError(`fractal heap at address ${address} has more blocks than any product's`);
    if (!file.holds(at, size)) throw new Hdf5FormatError(`heap block of ${size} bytes at address ${at} is outside`);
    const bytes = file.readAddress(at, size);
    if (bytes.toString('latin1', 0, 4) !== kind || readSized(bytes, 5 + O, heapOffsetBytes) !== base)
      throw new Hdf5FormatError(`no heap block of heap offset ${base} at address ${at}`);
    let sound = true;
    if (kind === 'FHIB') sound = checksumMatches(bytes, size - 4);
    else if (header.checksummedBlocks) {
      // A direct block's checksum covers the whole block, its own field counted as zero.
      const copy = Buffer.from(bytes);
      copy.fill(0, blockPrefix, blockPrefix + 4);
      sound = bytes.readUInt32LE(blockPrefix) === metadataChecksum(copy);
    }
    if (!sound) throw new Hdf5FormatError(`the heap block at address ${at} fails its checksum`);
    blocks.set(at, bytes);
    return bytes;
  };

  /** The direct block holding heap offset `offset`: its bytes and its own heap offset. */
  const directBlockOf = (offset: number): [Buffer, number] => {
    if (header.rootRows === 0) return [block('FHDB', header.root, startBlock, 0), 0];
    let [at, base, rows] = [header.root, 0, header.rootRows];
    for (let depth = 0; depth < MAX_INDIRECT_DEPTH; depth++) {
      const relative = offset - base;
      let row = 0;
      while (row + 1 < rows && rowOffset(row + 1) <= relative) row++;
      const column = Math.floor((relative - rowOffset(row)) / rowBlockSize(row));
      if (column >= width) throw new Hdf5FormatError(`heap offset ${offset} lies beyond its indirect block`);
      const directRows = Math.min(rows, maxDirectRows);
      const entries = rows * width;
      const indirect = block('FHIB', at, blockPrefix + entries * O + 4, base);
      const entry =
        row < maxDirectRows ? row * width + column : directRows * width + (row - maxDirectRows) * width + column;
      const child = readUnsigned(indirect, blockPrefix + entry * O, O);
      const childBase = base + rowOffset(row) + column * rowBlockSize(row);
      if (row < maxDirectRows) return [block('FHDB', child, rowBlockSize(row), childBase), childBase];
      [at, base, rows] = [child, childBase, Math.log2(rowBlockSize(row)) - firstRowBits + 1];
    }
    throw new Hdf5FormatError(`heap offset ${offset} lies deeper than any doubling table`);
  };

  const managed = (id: Buffer): HeapObject => {
    const offset = readSized(id, 1, heapOffsetBytes);
    const length = readSized(id, 1 + heapOffsetBytes, heapLengthBytes);
    if (length > header.maxManaged || length > maxObjectBytes)
      throw new Hdf5FormatError(`a managed heap object of ${length} bytes`);
    const [bytes, base] = directBlockOf(offset);
    const from = offset - base;
    if (from < blockPrefix + (header.checksummedBlocks ? 4 : 0) || from + length > bytes.length)
      throw new Hdf5FormatError(`heap object at offset ${offset} does not lie inside its block`);
    return { size: length, bytes: bytes.subarray(from, from + length) };
  };

  const huge = (id: Buffer): HeapObject => {
    const found = id.length >= 1 + file.offsetSize + file.lengthSize ? directHuge(id) : indexedHuge(id);
    const [objectAddress, size] = found;
    if (!file.holds(objectAddress, size)) throw new Hdf5FormatError('a huge heap object is outside the file');
    // Over the limit is the caller's to refuse (HDF5 would read the object whole), not damage.
    return { size, bytes: file.readAddress(objectAddress, size > maxObjectBytes ? PREVIEW_BYTES : size) };
  };

  const directHuge = (id: Buffer): [number, number] => [
    readUnsigned(id, 1, file.offsetSize),
    readUnsigned(id, 1 + file.offsetSize, file.lengthSize),
  ];

  // Heap IDs too short to hold the object's address name it by a key in the huge objects' B-tree.
  const indexedHuge = (id: Buffer): [number, number] => {
    if (hugeObjects === null) {
      hugeObjects = new Map();
      const index = readBtreeHeader(file, header.hugeIndex);
      if (index.type !== 1 || index.recordSize < file.offsetSize + 2 * file.lengthSize)
        throw new Hdf5FormatError(`huge objects' B-tree of type ${index.type}, ${index.recordSize}-byte records`);
      for (const record of btreeRecords(file, index)) {
        const objectAddress = readUnsigned(record, 0, file.offsetSize);
        const length = readUnsigned(record, file.offsetSize, file.lengthSize);
        const key = readUnsigned(record, file.offsetSize + file.lengthSize, file.lengthSize);
        hugeObjects.set(key, [objectAddress, length]);
      }
    }
    const found = hugeObjects.get(readSized(id, 1, Math.min(id.length - 1, 8)));
    if (!found) throw new Hdf5FormatError('a huge heap object is missing from its index');
    return found;
  };

  return {
    object(id) {
      if (id.length !== header.idLength || id.length < 1 + heapOffsetBytes + heapLengthBytes)
        throw new Hdf5FormatError(`a heap ID of ${id.length} bytes where the heap's are ${header.idLength}`);
      const kind = (id[0]! >> 4) & 0x03;
      if (kind === 0) return managed(id);
      if (kind === 1) return huge(id);
      return null;
    },
  };
}
