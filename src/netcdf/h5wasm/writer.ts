import { renameSync, rmSync } from 'node:fs';
import type { Dataset, File as H5File, Group } from 'h5wasm/node';
import { writeChunkedData, type ChunkedData } from '../chunks/chunk-writer.js';
import { joinPath, type NumericArray, type NumericDType } from '../model.js';
import { isSlabSource, type AttributeSpec, type GroupSpec, type VariableSpec } from '../spec.js';
import { loadH5wasm } from './module.js';
import { redactText } from '../../redaction.js';

/**
 * Writes a {@link GroupSpec} as a netCDF-4 file with h5wasm: groups, netCDF dimensions as HDF5 dimension scales
 * (coordinate variables, or netCDF's "dimension but not a variable" datasets), variables with `_FillValue`, and
 * attributes typed the way netCDF-C writes them (text as NC_CHAR, lists of text as NC_STRING). Compressed
 * variables are created empty by h5wasm and their chunks written afterwards by chunk-writer.ts (shuffle + deflate,
 * slab by slab). The file is written under a temporary name and renamed when complete.
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

/** Values of `dtype` as the typed array h5wasm takes as data (one of its `GuessableDataTypes`). */
function typedOf(dtype: NumericDType, values: readonly number[]): NumericArray {
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

/**
 * Every text a product holds passes through {@link redactText}: products are published, and their text can come
 * from anywhere (a plan.json written by hand, an older version, the Python plugin's stored JSON).
 */
function writeAttribute(owner: Group | Dataset, name: string, given: AttributeSpec): void {
  const spec = redacted(given);
  if (typeof spec === 'string') {
    // NC_CHAR: a fixed-length string exactly as long as the text (netCDF-C does the same).
    const bytes = Buffer.byteLength(spec);
    if (bytes === 0) owner.create_attribute(name, '', null, 'A1');
    else owner.create_attribute(name, spec, null, `${isAscii(spec) ? 'A' : 'S'}${bytes}`);
  } else if (typeof spec === 'number') {
    owner.create_attribute(name, new Float64Array([spec]), [1], '<d');
  } else if (typeof spec === 'boolean' || ('dtype' in spec && spec.dtype === 'enum')) {
    throw new Error(`attribute ${name}: boolean (enum) attributes are not written by this writer`);
  } else if (Array.isArray(spec)) {
    if (spec.every((v) => typeof v === 'string')) owner.create_attribute(name, [...spec]);
    else owner.create_attribute(name, Float64Array.from(spec as number[]), [spec.length], '<d');
  } else {
    const typed = spec as { dtype: NumericDType | 'string'; value: unknown };
    if (typed.dtype === 'string') {
      const values = Array.isArray(typed.value) ? (typed.value as string[]) : [String(typed.value)];
      owner.create_attribute(name, values);
    } else {
      const values = Array.isArray(typed.value) ? (typed.value as number[]) : [typed.value as number];
      owner.create_attribute(name, typedOf(typed.dtype, values), [values.length], H5_TYPES[typed.dtype]);
    }
  }
}

function redacted(spec: AttributeSpec): AttributeSpec {
  if (typeof spec === 'string') return redactText(spec);
  if (Array.isArray(spec)) {
    const items = spec as readonly (string | number)[];
    return items.every((v): v is string => typeof v === 'string')
      ? items.map(redactText)
      : (items as readonly number[]);
  }
  const typed = spec as { dtype: NumericDType | 'string'; value: unknown };
  if (typeof spec === 'object' && typed.dtype === 'string') {
    return {
      ...typed,
      value: Array.isArray(typed.value) ? (typed.value as string[]).map(redactText) : redactText(String(typed.value)),
    } as AttributeSpec;
  }
  return spec;
}

function writeAttributes(
  owner: Group | Dataset,
  attributes: Readonly<Record<string, AttributeSpec>> | undefined,
): void {
  for (const [name, spec] of Object.entries(attributes ?? {})) writeAttribute(owner, name, spec);
}

interface Scope {
  readonly path: string;
  readonly dimensions: Readonly<Record<string, number>>;
  readonly unlimited: ReadonlySet<string>;
}

function scaleFor(scopes: readonly Scope[], dimension: string): { path: string; size: number; unlimited: boolean } {
  for (const scope of scopes) {
    const size = scope.dimensions[dimension];
    if (size !== undefined)
      return { path: joinPath(scope.path, dimension), size, unlimited: scope.unlimited.has(dimension) };
  }
  throw new Error(`dimension ${dimension} is not declared in ${scopes[0]?.path ?? '/'} or above`);
}

const ELEMENT_SIZE: Record<NumericDType, number> = {
  i1: 1,
  u1: 1,
  i2: 2,
  u2: 2,
  i4: 4,
  u4: 4,
  i8: 8,
  u8: 8,
  f4: 4,
  f8: 8,
};

function bytesOf(values: NumericArray | ArrayBufferView): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** A compressed variable: created empty here; its data goes in after h5wasm has closed the file. */
function createChunked(
  group: Group,
  variable: VariableSpec,
  shape: number[],
): { dataset: Dataset; chunked: Omit<ChunkedData, 'address'> } {
  const dtype = variable.dtype as NumericDType;
  const elementSize = ELEMENT_SIZE[dtype];
  const dataset = group.create_dataset({
    name: variable.name,
    data: typedOf(dtype, []),
    shape: shape.map(() => 0),
    maxshape: shape,
    dtype: H5_TYPES[dtype],
    chunks: [...variable.chunks!],
    compression: 'gzip',
    compression_opts: variable.deflate ?? 4,
  });
  const data = variable.data;
  const rowElements = shape.slice(1).reduce((n, s) => n * s, 1);
  const read = isSlabSource(data)
    ? async (start: number, count: number, into: ArrayBuffer) => bytesOf(await data.read(start, count, into))
    : (start: number, count: number) => {
        const all = bytesOf(data as NumericArray);
        return all.subarray(start * rowElements * elementSize, (start + count) * rowElements * elementSize);
      };
  const fill = bytesOf(typedOf(dtype, [variable.fillValue ?? 0]));
  return {
    dataset,
    chunked: {
      shape,
      chunks: variable.chunks!,
      elementSize,
      deflateLevel: variable.deflate ?? null,
      shuffle: variable.shuffle ?? false,
      fill,
      read,
      freshSlabs: isSlabSource(data) && data.fresh === true,
    },
  };
}

function isChunkedNumeric(variable: VariableSpec, shape: readonly number[]): boolean {
  return (
    variable.dtype !== 'string' &&
    variable.dtype !== 'char' &&
    variable.deflate !== undefined &&
    variable.chunks !== undefined &&
    shape.length > 0 &&
    shape.every((s) => s > 0)
  );
}

/**
 * Storage for a variable on an UNLIMITED dimension: extendible along it (maxshape null) and therefore chunked, as
 * netCDF-4 stores it.
 */
function extendible(
  shape: number[],
  unlimited: readonly boolean[],
): { maxshape: (number | null)[]; chunks: number[] } | Record<string, never> {
  if (!unlimited.some(Boolean)) return {};
  return { maxshape: shape.map((n, axis) => (unlimited[axis] ? null : n)), chunks: shape.map((n) => Math.max(1, n)) };
}

function createVariable(
  group: Group,
  variable: VariableSpec,
  shape: number[],
  unlimited: readonly boolean[] = [],
): Dataset {
  const { name, dtype, data } = variable;
  if (isSlabSource(data)) throw new Error(`variable ${name}: data produced in slabs needs chunks and deflate`);
  if (dtype === 'string' || dtype === 'char') {
    const strings = (typeof data === 'number' ? [String(data)] : ([...(data as readonly string[])] as string[])).map(
      redactText,
    );
    if (dtype === 'string')
      return group.create_dataset({ name, data: strings, shape, ...extendible(shape, unlimited) });
    // NC_CHAR arrays hold one character per cell; each string fills one row of the last dimension.
    const width = shape.at(-1) ?? 1;
    const cells = strings.flatMap((s) => [...s.padEnd(width, '\0').slice(0, width)]);
    return group.create_dataset({ name, data: cells, shape, dtype: 'A1' });
  }
  const values = typeof data === 'number' ? typedOf(dtype, [data]) : (data as NumericArray);
  return group.create_dataset({
    name,
    data: values,
    shape,
    dtype: H5_TYPES[dtype],
    ...(variable.chunks ? { chunks: [...variable.chunks] } : {}),
    ...extendible(shape, unlimited),
  });
}

function writeGroup(
  file: H5File,
  group: Group,
  spec: GroupSpec,
  path: string,
  outer: readonly Scope[],
  pending: ChunkedData[],
): void {
  const scopes: Scope[] = [
    { path, dimensions: spec.dimensions ?? {}, unlimited: new Set(spec.unlimited ?? []) },
    ...outer,
  ];
  writeAttributes(group, spec.attributes);
  const variables = spec.variables ?? [];
  const isCoordinate = (v: VariableSpec): boolean =>
    v.dimensions?.length === 1 && v.dimensions[0] === v.name && v.name in (spec.dimensions ?? {});
  // Dimension scales first, so every variable can attach them.
  for (const [dimension, size] of Object.entries(spec.dimensions ?? {})) {
    const coordinate = variables.find((v) => v.name === dimension && isCoordinate(v));
    if (coordinate) continue;
    const growable = spec.unlimited?.includes(dimension) ? extendible([size], [true]) : {};
    group
      .create_dataset({
        name: dimension,
        data: new Int8Array(size),
        shape: [size],
        dtype: '<b',
        ...growable,
      })
      .make_scale(dimensionOnlyName(size));
  }
  const ordered = [...variables.filter(isCoordinate), ...variables.filter((v) => !isCoordinate(v))];
  for (const variable of ordered) {
    const shape = (variable.dimensions ?? []).map((d) => scaleFor(scopes, d).size);
    let dataset: Dataset;
    if (isChunkedNumeric(variable, shape)) {
      if ((variable.dimensions ?? []).some((d) => scaleFor(scopes, d).unlimited)) {
        throw new Error(
          `variable ${variable.name}: compressed variables on an UNLIMITED dimension are not written by this writer`,
        );
      }
      const created = createChunked(group, variable, shape);
      dataset = created.dataset;
      pending.push({
        ...created.chunked,
        address: Number(Buffer.from(dataset.create_reference().ref_data).readBigUInt64LE(0)),
      });
    } else
      dataset = createVariable(
        group,
        variable,
        shape,
        (variable.dimensions ?? []).map((d) => scaleFor(scopes, d).unlimited),
      );
    if (isCoordinate(variable)) dataset.make_scale(variable.name);
    (variable.dimensions ?? []).forEach((d, axis) => dataset.attach_scale(axis, scaleFor(scopes, d).path));
    if (variable.fillValue !== undefined && variable.dtype !== 'string' && variable.dtype !== 'char') {
      dataset.create_attribute(
        '_FillValue',
        typedOf(variable.dtype, [variable.fillValue]),
        [1],
        H5_TYPES[variable.dtype],
      );
    }
    writeAttributes(dataset, variable.attributes);
  }
  for (const [name, child] of Object.entries(spec.groups ?? {})) {
    writeGroup(file, group.create_group(name, true), child, joinPath(path, name), scopes, pending);
  }
}

export interface WriteOptions {
  /**
   * Attributes known only once every slab has been read (statistics gathered while streaming), by group path;
   * written after the data, before the file takes its final name.
   */
  readonly finalAttributes?: () =>
    | Readonly<Record<string, Readonly<Record<string, AttributeSpec>>>>
    | Promise<Readonly<Record<string, Readonly<Record<string, AttributeSpec>>>>>;
}

/** Write `spec` to `path` as netCDF-4 (HDF5 format readable by netCDF-C 4.7+, h5py and h5wasm). */
export async function writeNetcdf(path: string, spec: GroupSpec, options: WriteOptions = {}): Promise<void> {
  const { h5 } = await loadH5wasm();
  const partial = `${path}.partial-${process.pid}`;
  rmSync(partial, { force: true });
  // The earliest-compatible format keeps files readable by the HDF5 1.10 that Debian's netCDF-C links against.
  const file = new h5.File(partial, 'w', { libver: ['earliest', 'v110'], track_order: true });
  let open = true;
  try {
    const pending: ChunkedData[] = [];
    writeGroup(file, file, spec, '/', [], pending);
    file.close();
    open = false;
    await writeChunkedData(partial, pending);
    const late = await options.finalAttributes?.();
    if (late && Object.keys(late).length > 0) {
      const again = new h5.File(partial, 'a');
      try {
        for (const [groupPath, attributes] of Object.entries(late)) {
          const owner = groupPath === '/' ? again : (again.get(groupPath) as Group | null);
          if (!owner) throw new Error(`final attributes: no group ${groupPath}`);
          writeAttributes(owner, attributes);
        }
      } finally {
        again.close();
      }
    }
    renameSync(partial, path);
  } catch (error) {
    if (open) {
      try {
        file.close();
      } catch {
        // already closed or unusable; the partial file is removed below
      }
    }
    rmSync(partial, { force: true });
    throw error;
  }
}
