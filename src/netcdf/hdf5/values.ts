import { readUnsigned } from './file-bytes.js';
import { decodeFloats, decodeIntegers, vlenElementSize, type Hdf5Type } from './datatype.js';
import { Hdf5FormatError, Hdf5Unsupported } from './errors.js';
import { parseVlenElement, vlenBytes, type GlobalHeap } from './global-heap.js';

/** Fixed-length ASCII text is decoded the way HDF5 readers in JavaScript do (WHATWG's "ascii" label). */
const ascii = new TextDecoder('windows-1252');
const utf8 = new TextDecoder('utf-8');

/** Text up to the first NUL: C strings, and the NUL padding of fixed-length strings, end there. */
function text(bytes: Uint8Array, isUtf8: boolean, fixed: boolean): string {
  const end = bytes.indexOf(0);
  const used = end < 0 ? bytes : bytes.subarray(0, end);
  if (isUtf8) return utf8.decode(used);
  return fixed ? ascii.decode(used) : Buffer.from(used.buffer, used.byteOffset, used.length).toString('latin1');
}

/**
 * `count` elements of `type` from `bytes` as JavaScript values: numbers (enums as their integer values) or text.
 * Variable-length strings are looked up in the global heap.
 */
export function decodeValues(type: Hdf5Type, bytes: Buffer, count: number, heap: GlobalHeap, offsetSize: number): (number | string)[] {
  switch (type.class) {
    case 'integer':
      return decodeIntegers(bytes, type, count);
    case 'float':
      return decodeFloats(bytes, type, count);
    case 'enum':
      return decodeIntegers(bytes, type.base as Extract<Hdf5Type, { class: 'integer' }>, count);
    case 'string': {
      if (bytes.length < count * type.size) throw new Hdf5FormatError('text values are cut short');
      const out: string[] = [];
      for (let i = 0; i < count; i++) out.push(text(bytes.subarray(i * type.size, (i + 1) * type.size), type.utf8, true));
      return out;
    }
    case 'vlen-string': {
      const size = vlenElementSize(offsetSize);
      if (bytes.length < count * size) throw new Hdf5FormatError('text values are cut short');
      const out: string[] = [];
      for (let i = 0; i < count; i++) out.push(text(vlenBytes(heap, parseVlenElement(bytes, i * size, offsetSize), 1), type.utf8, false));
      return out;
    }
    default:
      throw new Hdf5Unsupported(`decoding ${type.class === 'other' ? type.name : type.class} values`);
  }
}

/**
 * A variable-length list of object references per element (how HDF5 dimension scales record the scales attached
 * to each axis, in DIMENSION_LIST): the referenced objects' header addresses.
 */
export function decodeReferenceLists(type: Hdf5Type, bytes: Buffer, count: number, heap: GlobalHeap, offsetSize: number): number[][] {
  if (type.class !== 'vlen' || type.base.class !== 'reference' || !type.base.object) throw new Hdf5Unsupported('a dimension list that is not a list of object references');
  const size = vlenElementSize(offsetSize);
  const lists: number[][] = [];
  for (let i = 0; i < count; i++) {
    const element = parseVlenElement(bytes, i * size, offsetSize);
    const refs = vlenBytes(heap, element, type.base.size);
    const addresses: number[] = [];
    for (let p = 0; p + offsetSize <= refs.length; p += type.base.size) addresses.push(readUnsigned(refs, p, offsetSize));
    lists.push(addresses);
  }
  return lists;
}
