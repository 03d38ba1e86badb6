import { bytesPerElement, type NumericArray, type NumericDType } from './model.js';

const CONSTRUCTORS = {
  i1: Int8Array,
  u1: Uint8Array,
  i2: Int16Array,
  u2: Uint16Array,
  i4: Int32Array,
  u4: Uint32Array,
  i8: BigInt64Array,
  u8: BigUint64Array,
  f4: Float32Array,
  f8: Float64Array,
} as const;

export function typedArrayFor(dtype: NumericDType, length: number): NumericArray {
  return new CONSTRUCTORS[dtype](length);
}

/** View raw little-endian bytes as elements of `dtype`, copying only when the bytes are misaligned. */
export function viewAs(dtype: NumericDType, bytes: Uint8Array): NumericArray {
  const size = bytesPerElement(dtype);
  const aligned = bytes.byteOffset % size === 0 ? bytes : bytes.slice();
  return new CONSTRUCTORS[dtype](aligned.buffer as ArrayBuffer, aligned.byteOffset, aligned.byteLength / size);
}

/** Convert any typed array to a plain Float64Array of numbers (64-bit integers lose precision beyond 2^53). */
export function toFloat64(data: NumericArray): Float64Array {
  if (data instanceof Float64Array) return data;
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Float64Array.from(data, (v) => Number(v));
  return Float64Array.from(data as ArrayLike<number>);
}
