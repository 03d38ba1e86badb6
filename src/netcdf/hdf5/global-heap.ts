import { readUnsigned, type FileBytes } from './file-bytes.js';
import { Hdf5FormatError } from './errors.js';

/**
 * Global heap collections, where HDF5 keeps variable-length data (strings, dimension-scale reference lists).
 * Each collection is read once and indexed.
 */
export class GlobalHeap {
  /** Per collection: its bytes, and each object's [start, length] in them (views are made on lookup only). */
  private readonly collections = new Map<number, { bytes: Buffer; objects: Map<number, [number, number]> }>();

  constructor(private readonly file: FileBytes) {}

  /** The bytes of object `index` of the collection at `address`. */
  object(address: number, index: number): Buffer {
    const { bytes, objects } = this.collection(address);
    const found = objects.get(index);
    if (!found) throw new Hdf5FormatError(`global heap collection at address ${address} has no object ${index}`);
    return bytes.subarray(found[0], found[0] + found[1]);
  }

  private collection(address: number): { bytes: Buffer; objects: Map<number, [number, number]> } {
    const known = this.collections.get(address);
    if (known) return known;
    const l = this.file.lengthSize;
    const head = this.file.readAddress(address, 8 + l);
    if (head.toString('latin1', 0, 4) !== 'GCOL') throw new Hdf5FormatError(`no global heap collection at address ${address}`);
    const size = readUnsigned(head, 8, l);
    const bytes = this.file.readAddress(address, size);
    const objects = new Map<number, [number, number]>();
    for (let p = 8 + l; p + 8 + l <= size; ) {
      const index = bytes.readUInt16LE(p);
      if (index === 0) break; // the free space, always last
      const length = readUnsigned(bytes, p + 8, l);
      const start = p + 8 + l;
      if (start + length > size) throw new Hdf5FormatError(`global heap object ${index} at address ${address} runs past its collection`);
      objects.set(index, [start, length]);
      p = start + Math.ceil(length / 8) * 8;
    }
    const collection = { bytes, objects };
    this.collections.set(address, collection);
    return collection;
  }
}

/** A variable-length element: how many base elements it has, and where they are (null for an empty element). */
export interface VlenElement {
  readonly length: number;
  readonly collection: number;
  readonly index: number;
}

export function parseVlenElement(bytes: Buffer, at: number, offsetSize: number): VlenElement {
  return { length: bytes.readUInt32LE(at), collection: readUnsigned(bytes, at + 4, offsetSize), index: bytes.readUInt32LE(at + 4 + offsetSize) };
}

/** The bytes of a variable-length element ('' when it is empty or points nowhere). */
export function vlenBytes(heap: GlobalHeap, element: VlenElement, baseSize: number): Buffer {
  if (element.length === 0 || element.collection === 0 || !Number.isFinite(element.collection)) return Buffer.alloc(0);
  const object = heap.object(element.collection, element.index);
  return object.subarray(0, Math.min(object.length, element.length * baseSize));
}
