import { renameSync, rmSync } from 'node:fs';
import type { Dataset, File as H5File, Group } from 'h5wasm/node';
import { joinPath, type NumericDType } from '../model.js';
import type { AttributeSpec, GroupSpec, VariableSpec } from '../spec.js';
import { loadH5wasm } from './module.js';

/**
 * Writes a {@link GroupSpec} as a netCDF-4 file with h5wasm: groups, netCDF dimensions as HDF5 dimension scales
 * (coordinate variables, or netCDF's "dimension but not a variable" datasets), variables with `_FillValue`, and
 * attributes typed the way netCDF-C writes them (text as NC_CHAR, lists of text as NC_STRING). The file is written
 * under a temporary name and renamed when complete.
 */

const H5_TYPES: Record<NumericDType, string> = {
  i1: '<b',
  u1: '<B',
  i2: '<h',
  u2: '<H',
  i4: '<i',
  u4: '<I',
  i8: '<q',
  u8: '<Q',
  f4: '<f',
  f8: '<d',
};

/** netCDF-C names a dimension without a coordinate variable like this (the size right-aligned in 10 columns). */
function dimensionOnlyName(size: number): string {
  return `This is a netCDF dimension but not a netCDF variable.${String(size).padStart(10)}`;
}

function typedOf(dtype: NumericDType, values: readonly number[]): ArrayBufferView {
  switch (dtype) {
    case 'i1':
      return Int8Array.from(values);
    case 'u1':
      return Uint8Array.from(values);
    case 'i2':
      return Int16Array.from(values);
    case 'u2':
      return Uint16Array.from(values);
    case 'i4':
      return Int32Array.from(values);
    case 'u4':
      return Uint32Array.from(values);
    case 'i8':
      return BigInt64Array.from(values, (v) => BigInt(v));
    case 'u8':
      return BigUint64Array.from(values, (v) => BigInt(v));
    case 'f4':
      return Float32Array.from(values);
    case 'f8':
      return Float64Array.from(values);
  }
}

function isAscii(text: string): boolean {
  return [...text].every((c) => c.charCodeAt(0) < 128);
}

function writeAttribute(owner: Group | Dataset, name: string, spec: AttributeSpec): void {
  if (typeof spec === 'string') {
    // NC_CHAR: a fixed-length string exactly as long as the text (netCDF-C does the same).
    const bytes = Buffer.byteLength(spec);
    if (bytes === 0) owner.create_attribute(name, '', null, 'A1');
    else owner.create_attribute(name, spec, null, `${isAscii(spec) ? 'A' : 'S'}${bytes}`);
  } else if (typeof spec === 'number') {
    owner.create_attribute(name, new Float64Array([spec]) as never, [1], '<d');
  } else if (typeof spec === 'boolean' || ('dtype' in spec && spec.dtype === 'enum')) {
    throw new Error(`attribute ${name}: boolean (enum) attributes are not written by this writer`);
  } else if (Array.isArray(spec)) {
    if (spec.every((v) => typeof v === 'string')) owner.create_attribute(name, [...(spec as string[])]);
    else owner.create_attribute(name, Float64Array.from(spec as number[]) as never, [spec.length], '<d');
  } else {
    const typed = spec as { dtype: NumericDType | 'string'; value: unknown };
    if (typed.dtype === 'string') {
      const values = Array.isArray(typed.value) ? (typed.value as string[]) : [String(typed.value)];
      owner.create_attribute(name, values);
    } else {
      const values = Array.isArray(typed.value) ? (typed.value as number[]) : [typed.value as number];
      owner.create_attribute(name, typedOf(typed.dtype, values) as never, [values.length], H5_TYPES[typed.dtype]);
    }
  }
}

function writeAttributes(owner: Group | Dataset, attributes: Readonly<Record<string, AttributeSpec>> | undefined): void {
  for (const [name, spec] of Object.entries(attributes ?? {})) writeAttribute(owner, name, spec);
}

interface Scope {
  readonly path: string;
  readonly dimensions: Readonly<Record<string, number>>;
}

function scaleFor(scopes: readonly Scope[], dimension: string): { path: string; size: number } {
  for (const scope of scopes) {
    const size = scope.dimensions[dimension];
    if (size !== undefined) return { path: joinPath(scope.path, dimension), size };
  }
  throw new Error(`dimension ${dimension} is not declared in ${scopes[0]?.path ?? '/'} or above`);
}

function createVariable(group: Group, variable: VariableSpec, shape: number[]): Dataset {
  const { name, dtype, data } = variable;
  if (dtype === 'string' || dtype === 'char') {
    const strings = typeof data === 'number' ? [String(data)] : ([...(data as readonly string[])] as string[]);
    if (dtype === 'string') return group.create_dataset({ name, data: strings, shape });
    // NC_CHAR arrays hold one character per cell; each string fills one row of the last dimension.
    const width = shape.at(-1) ?? 1;
    const cells = strings.flatMap((s) => [...s.padEnd(width, '\0').slice(0, width)]);
    return group.create_dataset({ name, data: cells, shape, dtype: 'A1' });
  }
  const values = typeof data === 'number' ? typedOf(dtype, [data]) : (data as ArrayBufferView);
  const compressed = variable.deflate !== undefined && variable.chunks !== undefined;
  return group.create_dataset({
    name,
    data: values as never,
    shape,
    dtype: H5_TYPES[dtype],
    ...(variable.chunks ? { chunks: [...variable.chunks] } : {}),
    ...(compressed ? { compression: variable.deflate } : {}),
  });
}

function writeGroup(file: H5File, group: Group, spec: GroupSpec, path: string, outer: readonly Scope[]): void {
  const scopes: Scope[] = [{ path, dimensions: spec.dimensions ?? {} }, ...outer];
  writeAttributes(group, spec.attributes);
  const variables = spec.variables ?? [];
  const isCoordinate = (v: VariableSpec): boolean => v.dimensions?.length === 1 && v.dimensions[0] === v.name && v.name in (spec.dimensions ?? {});
  // Dimension scales first, so every variable can attach them.
  for (const [dimension, size] of Object.entries(spec.dimensions ?? {})) {
    const coordinate = variables.find((v) => v.name === dimension && isCoordinate(v));
    if (coordinate) continue;
    group.create_dataset({ name: dimension, data: new Int8Array(size) as never, shape: [size], dtype: '<b' }).make_scale(dimensionOnlyName(size));
  }
  const ordered = [...variables.filter(isCoordinate), ...variables.filter((v) => !isCoordinate(v))];
  for (const variable of ordered) {
    const shape = (variable.dimensions ?? []).map((d) => scaleFor(scopes, d).size);
    const dataset = createVariable(group, variable, shape);
    if (isCoordinate(variable)) dataset.make_scale(variable.name);
    (variable.dimensions ?? []).forEach((d, axis) => dataset.attach_scale(axis, scaleFor(scopes, d).path));
    if (variable.fillValue !== undefined && variable.dtype !== 'string' && variable.dtype !== 'char') {
      dataset.create_attribute('_FillValue', typedOf(variable.dtype, [variable.fillValue]) as never, [1], H5_TYPES[variable.dtype]);
    }
    writeAttributes(dataset, variable.attributes);
  }
  for (const [name, child] of Object.entries(spec.groups ?? {})) {
    writeGroup(file, group.create_group(name, true), child, joinPath(path, name), scopes);
  }
}

/** Write `spec` to `path` as netCDF-4 (HDF5 format readable by netCDF-C 4.7+, h5py and h5wasm). */
export async function writeNetcdf(path: string, spec: GroupSpec): Promise<void> {
  const { h5 } = await loadH5wasm();
  const partial = `${path}.partial-${process.pid}`;
  rmSync(partial, { force: true });
  // The earliest-compatible format keeps files readable by the HDF5 1.10 that Debian's netCDF-C links against.
  const file = new h5.File(partial, 'w', { libver: ['earliest', 'v110'], track_order: true });
  try {
    writeGroup(file, file, spec, '/', []);
    file.close();
    renameSync(partial, path);
  } catch (error) {
    try {
      file.close();
    } catch {
      // already closed or unusable; the partial file is removed below
    }
    rmSync(partial, { force: true });
    throw error;
  }
}
