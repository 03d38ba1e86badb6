import { readUnsigned, type FileBytes } from './file-bytes.js';
import { Hdf5FormatError, Hdf5Unsupported } from './errors.js';

const MAX_DEPTH = 16;

function log2(n: number): number {
  return Math.floor(Math.log2(n));
}

/** Bytes needed to encode values up to `n` (HDF5's H5VM_limit_enc_size). */
function encodedSize(n: number): number {
  return Math.floor(log2(n) / 8) + 1;
}

interface Block {
  readonly address: number;
  readonly size: number;
  /** Heap offset of the block's first byte. */
  readonly offset: number;
}

/**
 * A fractal heap: where HDF5 keeps the link and attribute messages of objects with many of them ("dense storage").
 * Objects are found through heap IDs (from the objects' v2 B-tree indexes); managed objects live in direct blocks
 * addressed through a doubling table of indirect blocks, tiny objects inside the ID itself.
 */
export class FractalHeap {
  private readonly width: number;
  private readonly startBlockSize: number;
  private readonly maxDirectRows: number;
  private readonly firstRowBits: number;
  private readonly offsetBytes: number;
  private readonly lengthBytes: number;
  private readonly rootAddress: number;
  private readonly rootRows: number;
  private readonly blocks = new Map<number, Buffer>();

  constructor(
    private readonly file: FileBytes,
    address: number,
  ) {
    const o = file.offsetSize;
    const l = file.lengthSize;
    const size = 4 + 1 + 2 + 2 + 1 + 4 + l + o + l + o + 8 * l + 2 + l + l + 2 + 2 + o + 2;
    const head = file.readAddress(address, size);
    if (head.toString('latin1', 0, 4) !== 'FRHP') throw new Hdf5FormatError(`no fractal heap at address ${address}`);
    if (head.readUInt16LE(7) !== 0) throw new Hdf5Unsupported('a fractal heap with I/O filters');
    const maxManagedSize = head.readUInt32LE(10);
    let p = 14 + l + o + l + o + 8 * l;
    this.width = head.readUInt16LE(p);
    p += 2;
    this.startBlockSize = readUnsigned(head, p, l);
    p += l;
    const maxDirectSize = readUnsigned(head, p, l);
    p += l;
    const maxHeapBits = head.readUInt16LE(p);
    p += 4; // maximum heap size, starting rows of the root indirect block
    this.rootAddress = readUnsigned(head, p, o);
    p += o;
    this.rootRows = head.readUInt16LE(p);
    this.maxDirectRows = log2(maxDirectSize) - log2(this.startBlockSize) + 2;
    this.firstRowBits = log2(this.startBlockSize) + log2(this.width);
    this.offsetBytes = Math.ceil(maxHeapBits / 8);
    this.lengthBytes = Math.min(Math.ceil(log2(maxDirectSize) / 8), encodedSize(maxManagedSize));
  }

  /** The object a heap ID names. */
  read(id: Buffer): Buffer {
    const flags = id[0] ?? 0;
    if (flags >> 6 !== 0) throw new Hdf5Unsupported(`fractal heap ID version ${flags >> 6}`);
    const type = (flags >> 4) & 0x03;
    if (type === 2) return id.subarray(1, 1 + (flags & 0x0f) + 1);
    if (type !== 0) throw new Hdf5Unsupported('a huge object in a fractal heap');
    const offset = readUnsigned(id, 1, this.offsetBytes);
    const length = readUnsigned(id, 1 + this.offsetBytes, this.lengthBytes);
    const block = this.locate(offset);
    const bytes = this.blockBytes(block);
    const at = offset - block.offset;
    if (at + length > bytes.length) throw new Hdf5FormatError('a fractal heap object runs past its block');
    return bytes.subarray(at, at + length);
  }

  private rowBlockSize(row: number): number {
    return row === 0 ? this.startBlockSize : this.startBlockSize * 2 ** (row - 1);
  }

  /** Row and column of the block holding `offset`, counted from the start of an indirect block's space. */
  private lookup(offset: number): [number, number] {
    if (offset < this.startBlockSize * this.width) return [0, Math.floor(offset / this.startBlockSize)];
    const highBit = log2(offset);
    const row = highBit - this.firstRowBits + 1;
    return [row, Math.floor((offset - 2 ** highBit) / this.rowBlockSize(row))];
  }

  private locate(offset: number): Block {
    if (this.rootRows === 0) return { address: this.rootAddress, size: this.startBlockSize, offset: 0 };
    let address = this.rootAddress;
    let rows = this.rootRows;
    let base = 0;
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
      const [row, column] = this.lookup(offset - base);
      if (row >= rows) throw new Hdf5FormatError(`fractal heap offset ${offset} lies outside its indirect block`);
      const entry = row * this.width + column;
      const child = this.indirectEntry(address, rows, entry);
      if (!Number.isFinite(child)) throw new Hdf5FormatError(`fractal heap offset ${offset} lies in an unallocated block`);
      const childOffset = base + this.rowStart(row) + column * this.rowBlockSize(row);
      if (row < this.maxDirectRows) return { address: child, size: this.rowBlockSize(row), offset: childOffset };
      address = child;
      rows = log2(this.rowBlockSize(row)) - this.firstRowBits + 1;
      base = childOffset;
    }
    throw new Hdf5FormatError('fractal heap indirect blocks nest deeper than any valid file');
  }

  /** Heap offset (within an indirect block's space) where `row` starts. */
  private rowStart(row: number): number {
    return row === 0 ? 0 : this.startBlockSize * this.width * 2 ** (row - 1);
  }

  private indirectEntry(address: number, rows: number, entry: number): number {
    const o = this.file.offsetSize;
    const prefix = 4 + 1 + o + this.offsetBytes;
    const entries = rows * this.width;
    const block = this.cached(address, prefix + entries * o);
    if (block.toString('latin1', 0, 4) !== 'FHIB') throw new Hdf5FormatError(`no fractal heap indirect block at address ${address}`);
    return readUnsigned(block, prefix + entry * o, o);
  }

  private blockBytes(block: Block): Buffer {
    const bytes = this.cached(block.address, block.size);
    if (bytes.toString('latin1', 0, 4) !== 'FHDB') throw new Hdf5FormatError(`no fractal heap direct block at address ${block.address}`);
    return bytes;
  }

  private cached(address: number, size: number): Buffer {
    let bytes = this.blocks.get(address);
    if (!bytes || bytes.length < size) {
      bytes = this.file.readAddress(address, size);
      this.blocks.set(address, bytes);
    }
    return bytes;
  }
}
