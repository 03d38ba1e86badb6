/**
 * Our own model of a netCDF4/HDF5 product. Readers (h5wasm, in-memory) map their storage onto these types so
 * that the comparison code never sees a library type.
 */

/** Numeric element types, named like numpy/netCDF short codes. */
export type NumericDType = 'i1' | 'u1' | 'i2' | 'u2' | 'i4' | 'u4' | 'i8' | 'u8' | 'f4' | 'f8';
/** Everything a variable can hold. `string` is variable-length text, `char` fixed-length text (NC_CHAR). */
export type DType = NumericDType | 'string' | 'char' | 'enum' | 'compound' | 'reference' | 'opaque' | 'unknown';

export const NUMERIC_DTYPES: readonly NumericDType[] = ['i1', 'u1', 'i2', 'u2', 'i4', 'u4', 'i8', 'u8', 'f4', 'f8'];

export function isNumericDType(dtype: DType): dtype is NumericDType {
  return (NUMERIC_DTYPES as readonly string[]).includes(dtype);
}

export function bytesPerElement(dtype: NumericDType): number {
  return Number(dtype.slice(1));
}

export function isFloatDType(dtype: DType): boolean {
  return dtype === 'f4' || dtype === 'f8';
}

/** Typed arrays a numeric variable reads into (64-bit integers arrive as bigint arrays). */
export type NumericArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

/**
 * An attribute value after decoding: text, numbers, booleans (the HDF5 FALSE/TRUE enum), or arrays of them.
 * Enums other than booleans decode to their member names. NaN stays NaN here; reports serialise it as "NaN".
 */
export type AttributeValue = string | number | boolean | readonly (string | number | boolean)[];

export interface NcAttribute {
  readonly name: string;
  /** Storage class of the value, e.g. 'f4', 'char' (fixed-length text), 'string' (variable-length text). */
  readonly dtype: DType;
  readonly value: AttributeValue;
}

export interface NcFilter {
  readonly id: number;
  readonly name: string;
  readonly parameters: readonly number[];
}

export interface NcStorage {
  /** Chunk shape, or null for contiguous/compact storage. */
  readonly chunks: readonly number[] | null;
  readonly filters: readonly NcFilter[];
}

export interface NcDimension {
  readonly name: string;
  /** Full path of the dimension's scale, e.g. /science/grids/data/latitude. */
  readonly path: string;
  readonly size: number;
  readonly unlimited: boolean;
}

export interface NcVariable {
  readonly name: string;
  readonly path: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** Dimension names in order (netCDF dimension scales); empty for scalars or unscaled datasets. */
  readonly dimensions: readonly string[];
  readonly attributes: readonly NcAttribute[];
  readonly storage: NcStorage;
  /** The `_FillValue` attribute if present (numeric variables only). */
  readonly fillValue: number | null;
  /** True for a coordinate variable: a 1-D variable that is also a netCDF dimension. */
  readonly isCoordinate: boolean;
}

export interface NcGroup {
  readonly name: string;
  readonly path: string;
  readonly attributes: readonly NcAttribute[];
  readonly dimensions: readonly NcDimension[];
  readonly variables: readonly NcVariable[];
  readonly groups: readonly NcGroup[];
}

/** Attributes the netCDF-4 and HDF5 dimension-scale machinery writes for itself; never user content. */
export const INTERNAL_ATTRIBUTES: ReadonlySet<string> = new Set([
  '_NCProperties',
  '_Netcdf4Dimid',
  '_Netcdf4Coordinates',
  '_nc3_strict',
  '_IsNetcdf4',
  '_SuperblockVersion',
  'CLASS',
  'NAME',
  'DIMENSION_LIST',
  'REFERENCE_LIST',
  'DIMENSION_LABELS',
]);

/** Walk every group depth-first, the root first. */
export function* walkGroups(root: NcGroup): Generator<NcGroup> {
  yield root;
  for (const child of root.groups) yield* walkGroups(child);
}

export function* walkVariables(root: NcGroup): Generator<NcVariable> {
  for (const group of walkGroups(root)) yield* group.variables;
}

export function findVariable(root: NcGroup, path: string): NcVariable | undefined {
  for (const variable of walkVariables(root)) if (variable.path === path) return variable;
  return undefined;
}

export function parentPath(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

export function joinPath(group: string, name: string): string {
  return group === '/' ? `/${name}` : `${group}/${name}`;
}

export function attributeOf(owner: { attributes: readonly NcAttribute[] }, name: string): NcAttribute | undefined {
  return owner.attributes.find((a) => a.name === name);
}
