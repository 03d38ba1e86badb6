import { createHash, type Hash } from 'node:crypto';
import type { AttributeValue, DType, NcAttribute } from './model.js';

/**
 * How netCDF-4 and h5py conventions on top of HDF5 map onto our model, shared by every reader so that a product
 * reads the same whichever reader opened it.
 */

/** netCDF-C marks a dimension that has no coordinate variable with this NAME on its dimension scale. */
export const DIMENSION_ONLY_NAME = 'This is a netCDF dimension but not a netCDF variable.';

/** HDF5's H5S_UNLIMITED (2^64-1) arrives as a number far beyond any real extent. */
const UNLIMITED_THRESHOLD = 2 ** 53;

export function isUnlimited(maxSize: number): boolean {
  return maxSize >= UNLIMITED_THRESHOLD;
}

/** h5py stores booleans as the enum {FALSE: 0, TRUE: 1}. */
export function isBooleanEnum(members: ReadonlyMap<number, string>): boolean {
  return members.size === 2 && members.get(0) === 'FALSE' && members.get(1) === 'TRUE';
}

/** Enum values as booleans (the h5py boolean enum) or member names (the number itself where no member has it). */
export function enumValues(
  numbers: readonly number[],
  members: ReadonlyMap<number, string>,
): (string | number | boolean)[] {
  if (isBooleanEnum(members)) return numbers.map((n) => n === 1);
  return numbers.map((n) => members.get(n) ?? n);
}

/** netCDF attributes are 1-D arrays; a one-element array is what users call a scalar, so it decodes to a scalar. */
export function attributeFrom(name: string, dtype: DType, values: readonly (string | number | boolean)[]): NcAttribute {
  const bounded = boundedValues(values);
  const value: AttributeValue = bounded.length === 1 ? (bounded[0] as string | number | boolean) : bounded;
  return { name, dtype, value };
}

/**
 * The most of an attribute's value kept as it is. A GUNW's largest attributes are a few kilobytes (WKT, command
 * lines); a product of 250 MB with a 200 MB text attribute and a 5-million-element array took 4.2 GB and 2 min 47 s
 * to compare and wrote 250 MB reports before values were bounded here. Longer values are kept as their start, their
 * size and a SHA-256 digest of the whole, so two long values still compare equal exactly when they are.
 */
export const MAX_ATTRIBUTE_TEXT = 16 * 1024;
export const MAX_ATTRIBUTE_ELEMENTS = 4096;

/** Many values as one line: how many, the first eight, and the digest that tells two such lists apart. */
function manyValues(count: number, head: readonly unknown[], digest: Hash): string {
  return `[${count.toLocaleString('en-US')} values: ${head.map(String).join(', ')}, …; sha256 ${digest.digest('hex').slice(0, 32)}]`;
}

export function boundedValues(values: readonly (string | number | boolean)[]): readonly (string | number | boolean)[] {
  if (values.length > MAX_ATTRIBUTE_ELEMENTS) {
    const digest = createHash('sha256');
    for (const v of values) digest.update(`${typeof v}:${String(v)}\n`);
    return [manyValues(values.length, values.slice(0, 8), digest)];
  }
  return values.map((v) =>
    typeof v === 'string' && v.length > MAX_ATTRIBUTE_TEXT
      ? `${v.slice(0, 1024)}… [${v.length.toLocaleString('en-US')} characters; sha256 ${createHash('sha256').update(v).digest('hex').slice(0, 32)}]`
      : v,
  );
}

/** An attribute of many numbers, summarised from its typed array without making an array of every element. */
export function boundedNumbers(raw: ArrayLike<number | bigint>): readonly (string | number)[] | null {
  if (raw.length <= MAX_ATTRIBUTE_ELEMENTS) return null;
  const digest = createHash('sha256');
  if (ArrayBuffer.isView(raw)) digest.update(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
  else for (let i = 0; i < raw.length; i++) digest.update(`${String(raw[i])}\n`);
  return [
    manyValues(
      raw.length,
      Array.from({ length: 8 }, (_, i) => raw[i]),
      digest,
    ),
  ];
}

/** Dimension names of a variable: its scales' names, or phony names for axes without a scale. */
export function dimensionNamesFrom(scalePaths: readonly (readonly string[])[], rank: number): string[] {
  const names: string[] = [];
  for (let axis = 0; axis < rank; axis++) {
    const first = scalePaths[axis]?.[0];
    names.push(first ? first.slice(first.lastIndexOf('/') + 1) : `phony_dim_${axis}`);
  }
  return names;
}

/**
 * Text variable values as strings: variable-length strings as they are; NC_CHAR arrays, which hold one character
 * per cell, joined per row (the last dimension) without their NUL padding.
 */
export function textRows(strings: readonly string[], dtype: DType, shape: readonly number[]): string[] {
  if (dtype !== 'char' || shape.length < 1) return [...strings];
  const rowLength = shape.at(-1) ?? 1;
  const rows: string[] = [];
  for (let i = 0; i < strings.length; i += rowLength)
    rows.push(
      strings
        .slice(i, i + rowLength)
        .join('')
        .replace(/\0+$/, ''),
    );
  return rows;
}
