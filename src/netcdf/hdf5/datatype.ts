import type { NumericDType } from '../model.js';

/** HDF5 datatype classes. */
const FIXED_POINT = 0;
const FLOATING_POINT = 1;

/** IEEE 754 layouts by size: [sign location, exponent location, exponent size, mantissa size, exponent bias]. */
const IEEE: Readonly<Record<number, readonly [number, number, number, number, number]>> = {
  4: [31, 23, 8, 23, 127],
  8: [63, 52, 11, 52, 1023],
};

/**
 * Why a numeric datatype message is not a plain machine type (an integer of 1, 2, 4 or 8 bytes, or an IEEE 754
 * float of 4 or 8, of either byte order, every bit used), or null when it is, or is not numeric at all. Products
 * hold only plain types; for anything else HDF5 converts while reading, and readers that ask for different memory
 * types (h5py, h5wasm) then read different values from the same bytes, so such a type is refused as damage.
 */
export function numericTypeProblem(message: Buffer): string | null {
  if (message.length < 8) return 'a datatype message too short to read';
  const typeClass = message[0]! & 0x0f;
  if (typeClass !== FIXED_POINT && typeClass !== FLOATING_POINT) return null;
  if (message.length < 12) return 'a numeric datatype message too short to read';
  const bits = message[1]!;
  const size = message.readUInt32LE(4);
  const offset = message.readUInt16LE(8);
  const precision = message.readUInt16LE(10);
  if (offset !== 0 || precision !== 8 * size) return `a ${size}-byte type of ${precision} bits at bit ${offset}`;
  if (typeClass === FIXED_POINT) return [1, 2, 4, 8].includes(size) ? null : `a ${size}-byte integer type`;
  const layout = IEEE[size];
  if (!layout || message.length < 20) return `a ${size}-byte floating-point type`;
  const [sign, exponentAt, exponentSize, mantissaSize, bias] = layout;
  // Bits 4-5 of the class bits: mantissa normalisation, 2 = an implied leading one (IEEE); bit 6: VAX byte order.
  const ieee =
    ((bits >> 4) & 0x03) === 2 &&
    (bits & 0x40) === 0 &&
    message[2] === sign &&
    message[12] === exponentAt &&
    message[13] === exponentSize &&
    message[14] === 0 &&
    message[15] === mantissaSize &&
    message.readUInt32LE(16) === bias;
  return ieee ? null : `a ${size}-byte floating-point type that is not IEEE 754`;
}

/**
 * Whether a datatype message describes exactly the little-endian machine type `dtype`: only then are the stored
 * bytes the values, and the chunk locator reads them itself; big-endian data is left to HDF5, which swaps it.
 */
export function isMachineType(message: Buffer, dtype: NumericDType): boolean {
  if (numericTypeProblem(message) !== null || message.length < 12) return false;
  const typeClass = message[0]! & 0x0f;
  const bits = message[1]!;
  if ((bits & 0x01) !== 0 || message.readUInt32LE(4) !== Number(dtype.slice(1))) return false;
  if (dtype.startsWith('f')) return typeClass === FLOATING_POINT;
  return typeClass === FIXED_POINT && ((bits & 0x08) !== 0) === dtype.startsWith('i');
}
