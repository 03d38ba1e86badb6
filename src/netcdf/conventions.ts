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
  const value: AttributeValue = values.length === 1 ? (values[0] as string | number | boolean) : values;
  return { name, dtype, value };
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
