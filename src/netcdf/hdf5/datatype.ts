import type { DType } from '../model.js';
import { Hdf5FormatError, Hdf5Unsupported } from './errors.js';

/**
 * HDF5 datatypes as far as this project decodes values: numbers, text and enums fully; references and
 * variable-length sequences enough to follow dimension-scale lists; every other class by name and size only.
 */
export type Hdf5Type =
  | { readonly class: 'integer'; readonly size: number; readonly signed: boolean; readonly littleEndian: boolean; readonly plain: boolean }
  | { readonly class: 'float'; readonly size: number; readonly littleEndian: boolean; readonly plain: boolean }
  | { readonly class: 'string'; readonly size: number; readonly utf8: boolean }
  | { readonly class: 'vlen-string'; readonly size: number; readonly utf8: boolean }
  | { readonly class: 'enum'; readonly size: number; readonly base: Hdf5Type; readonly members: ReadonlyMap<number, string> }
  | { readonly class: 'reference'; readonly size: number; readonly object: boolean }
  | { readonly class: 'vlen'; readonly size: number; readonly base: Hdf5Type }
  | { readonly class: 'other'; readonly size: number; readonly name: 'time' | 'bitfield' | 'opaque' | 'compound' | 'array' };

const CLASS_NAMES = ['integer', 'float', 'time', 'string', 'bitfield', 'opaque', 'compound', 'reference', 'enum', 'vlen', 'array'] as const;

/** The dtype our model gives a variable or attribute of this type (as the h5wasm reader names them). */
export function modelDType(type: Hdf5Type): DType {
  switch (type.class) {
    case 'integer':
      return [1, 2, 4, 8].includes(type.size) ? (`${type.signed ? 'i' : 'u'}${type.size}` as DType) : 'unknown';
    case 'float':
      return type.size === 4 ? 'f4' : type.size === 8 ? 'f8' : 'unknown';
    case 'string':
      return 'char';
    case 'vlen-string':
      return 'string';
    case 'enum':
      return 'enum';
    case 'reference':
      return 'reference';
    case 'other':
      return type.name === 'compound' ? 'compound' : type.name === 'opaque' ? 'opaque' : 'unknown';
    case 'vlen':
      return 'unknown';
  }
}

/** Bytes of a variable-length element in a dataset or attribute: length (4), global heap collection, object index (4). */
export function vlenElementSize(offsetSize: number): number {
  return 4 + offsetSize + 4;
}

/** Whether a float's bit layout is IEEE 754 binary32/binary64 as JavaScript reads it. */
function isIeeeFloat(size: number, properties: Buffer): boolean {
  const [offset, precision] = [properties.readUInt16LE(0), properties.readUInt16LE(2)];
  const [exponentAt, exponentBits, mantissaAt, mantissaBits] = [properties[4], properties[5], properties[6], properties[7]];
  if (offset !== 0 || precision !== size * 8 || mantissaAt !== 0) return false;
  return size === 4 ? exponentAt === 23 && exponentBits === 8 && mantissaBits === 23 : size === 8 && exponentAt === 52 && exponentBits === 11 && mantissaBits === 52;
}

function nulTerminated(data: Buffer, at: number): [string, number] {
  const end = data.indexOf(0, at);
  if (end < 0) throw new Hdf5FormatError('unterminated name in a datatype message');
  return [data.toString('utf8', at, end), end + 1];
}

/** Decode the datatype message at `at`; returns the type and the message's encoded length where it is known. */
export function parseDatatype(data: Buffer, at: number, offsetSize: number): { type: Hdf5Type; length: number | null } {
  if (data.length < at + 8) throw new Hdf5FormatError('datatype message is cut short');
  const classAndVersion = data[at]!;
  const version = classAndVersion >> 4;
  const typeClass = classAndVersion & 0x0f;
  const bits = data[at + 1]! | (data[at + 2]! << 8) | (data[at + 3]! << 16);
  const size = data.readUInt32LE(at + 4);
  const body = at + 8;
  const name = CLASS_NAMES[typeClass];
  switch (name) {
    case 'integer': {
      const precision = data.readUInt16LE(body + 2);
      const plain = data.readUInt16LE(body) === 0 && precision === size * 8;
      return { type: { class: 'integer', size, signed: (bits & 0x08) !== 0, littleEndian: (bits & 0x01) === 0, plain }, length: 12 };
    }
    case 'float': {
      const order = (bits & 0x01) | ((bits >> 5) & 0x02);
      if (order === 3) throw new Hdf5Unsupported('VAX-order floating point');
      return { type: { class: 'float', size, littleEndian: order === 0, plain: isIeeeFloat(size, data.subarray(body, body + 12)) }, length: 20 };
    }
    case 'string':
      return { type: { class: 'string', size, utf8: ((bits >> 4) & 0x0f) === 1 }, length: 8 };
    case 'reference':
      if (version >= 4) return { type: { class: 'other', size, name: 'opaque' }, length: null };
      return { type: { class: 'reference', size, object: (bits & 0x0f) === 0 }, length: 8 };
    case 'vlen': {
      const base = parseDatatype(data, body, offsetSize);
      const length = base.length === null ? null : 8 + base.length;
      if ((bits & 0x0f) === 1) return { type: { class: 'vlen-string', size, utf8: ((bits >> 8) & 0x0f) === 1 }, length };
      return { type: { class: 'vlen', size, base: base.type }, length };
    }
    case 'enum': {
      const count = bits & 0xffff;
      const base = parseDatatype(data, body, offsetSize);
      if (base.length === null || base.type.class !== 'integer') throw new Hdf5Unsupported('an enum over a non-integer type');
      let p = body + base.length;
      const names: string[] = [];
      for (let i = 0; i < count; i++) {
        const [member, next] = nulTerminated(data, p);
        names.push(member);
        // Versions 1 and 2 pad each name to a multiple of 8 bytes.
        p = version >= 3 ? next : p + Math.ceil((next - p) / 8) * 8;
      }
      const values = decodeIntegers(data.subarray(p, p + count * base.type.size), base.type, count);
      const members = new Map<number, string>();
      names.forEach((member, i) => members.set(values[i]!, member));
      return { type: { class: 'enum', size, base: base.type, members }, length: p + count * base.type.size - at };
    }
    case 'time':
    case 'bitfield':
    case 'opaque':
    case 'compound':
    case 'array':
      return { type: { class: 'other', size, name }, length: null };
    default:
      throw new Hdf5FormatError(`datatype class ${typeClass} does not exist`);
  }
}

/** `count` integers of `type` from `bytes` (64-bit values beyond 2^53 lose precision, as elsewhere in the model). */
export function decodeIntegers(bytes: Buffer, type: Extract<Hdf5Type, { class: 'integer' }>, count: number): number[] {
  const out: number[] = [];
  const { size, signed, littleEndian: le } = type;
  if (bytes.length < count * size) throw new Hdf5FormatError('integer values are cut short');
  for (let i = 0, p = 0; i < count; i++, p += size) {
    if (size === 8) out.push(Number(signed ? (le ? bytes.readBigInt64LE(p) : bytes.readBigInt64BE(p)) : le ? bytes.readBigUInt64LE(p) : bytes.readBigUInt64BE(p)));
    else if (size <= 6) out.push(signed ? (le ? bytes.readIntLE(p, size) : bytes.readIntBE(p, size)) : le ? bytes.readUIntLE(p, size) : bytes.readUIntBE(p, size));
    else throw new Hdf5Unsupported(`${size}-byte integers`);
  }
  return out;
}

export function decodeFloats(bytes: Buffer, type: Extract<Hdf5Type, { class: 'float' }>, count: number): number[] {
  if (!type.plain || (type.size !== 4 && type.size !== 8)) throw new Hdf5Unsupported(`a ${type.size}-byte non-IEEE float`);
  if (bytes.length < count * type.size) throw new Hdf5FormatError('float values are cut short');
  const out: number[] = [];
  for (let i = 0, p = 0; i < count; i++, p += type.size) {
    if (type.size === 4) out.push(type.littleEndian ? bytes.readFloatLE(p) : bytes.readFloatBE(p));
    else out.push(type.littleEndian ? bytes.readDoubleLE(p) : bytes.readDoubleBE(p));
  }
  return out;
}
