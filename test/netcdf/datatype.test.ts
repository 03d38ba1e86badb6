import { describe, expect, it } from 'vitest';
import { isMachineType, numericTypeProblem } from '../../src/netcdf/hdf5/datatype.js';

/** Datatype messages as HDF5 writes them (version 1): class and version, three bytes of class bits, size, properties. */
function floatMessage(size: 4 | 8, options: { bigEndian?: boolean; bias?: number; precision?: number } = {}): Buffer {
  const [sign, exponentAt, exponentSize, mantissaSize, bias] =
    size === 4 ? [31, 23, 8, 23, 127] : [63, 52, 11, 52, 1023];
  const message = Buffer.alloc(20);
  message[0] = 0x10 | 1;
  message[1] = 0x20 | (options.bigEndian ? 0x01 : 0);
  message[2] = sign;
  message.writeUInt32LE(size, 4);
  message.writeUInt16LE(0, 8);
  message.writeUInt16LE(options.precision ?? 8 * size, 10);
  message[12] = exponentAt;
  message[13] = exponentSize;
  message[14] = 0;
  message[15] = mantissaSize;
  message.writeUInt32LE(options.bias ?? bias, 16);
  return message;
}

function integerMessage(size: number, signed: boolean, bigEndian = false): Buffer {
  const message = Buffer.alloc(12);
  message[0] = 0x10;
  message[1] = (signed ? 0x08 : 0) | (bigEndian ? 0x01 : 0);
  message.writeUInt32LE(size, 4);
  message.writeUInt16LE(8 * size, 10);
  return message;
}

describe('HDF5 numeric datatypes', () => {
  it('takes little-endian IEEE floats and whole-byte integers as the machine types they are', () => {
    expect(isMachineType(floatMessage(4), 'f4')).toBe(true);
    expect(isMachineType(floatMessage(8), 'f8')).toBe(true);
    expect(isMachineType(floatMessage(4), 'f8')).toBe(false);
    expect(isMachineType(integerMessage(2, true), 'i2')).toBe(true);
    expect(isMachineType(integerMessage(2, true), 'u2')).toBe(false);
    expect(isMachineType(integerMessage(1, false), 'u1')).toBe(true);
  });

  it('leaves big-endian data to HDF5 and refuses types HDF5 would convert while reading', () => {
    expect(numericTypeProblem(floatMessage(4, { bigEndian: true }))).toBeNull();
    expect(isMachineType(floatMessage(4, { bigEndian: true }), 'f4')).toBe(false);
    expect(isMachineType(integerMessage(4, true, true), 'i4')).toBe(false);
    expect(numericTypeProblem(floatMessage(4, { bias: 100 }))).toBe(
      'a 4-byte floating-point type that is not IEEE 754',
    );
    expect(numericTypeProblem(floatMessage(4, { precision: 24 }))).toBe('a 4-byte type of 24 bits at bit 0');
    expect(numericTypeProblem(integerMessage(3, true))).toBe('a 3-byte integer type');
    expect(numericTypeProblem(Buffer.alloc(4))).toBe('a datatype message too short to read');
  });

  it('has nothing to say about types that are not numeric', () => {
    const text = Buffer.alloc(8);
    text[0] = 0x10 | 3;
    expect(numericTypeProblem(text)).toBeNull();
    expect(isMachineType(text, 'f4')).toBe(false);
  });
});
