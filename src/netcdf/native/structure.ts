import { attributeFrom, dimensionNamesFrom, DIMENSION_ONLY_NAME, enumValues, isUnlimited } from '../conventions.js';
import type { RawAttribute } from '../hdf5/attributes.js';
import { elementsOf } from '../hdf5/dataspace.js';
import { modelDType } from '../hdf5/datatype.js';
import { Hdf5FormatError } from '../hdf5/errors.js';
import type { Hdf5File } from '../hdf5/file.js';
import { chunkShape } from '../hdf5/layout.js';
import type { Hdf5Dataset, Hdf5Object } from '../hdf5/objects.js';
import { decodeReferenceLists, decodeValues } from '../hdf5/values.js';
import { INTERNAL_ATTRIBUTES, joinPath, type NcAttribute, type NcDimension, type NcGroup, type NcVariable } from '../model.js';

/** A dataset of the product, by path, with what a reader needs to read its values. */
export interface NativeDataset {
  readonly path: string;
  readonly address: number;
  readonly dataset: Hdf5Dataset;
}

export interface NativeStructure {
  readonly root: NcGroup;
  readonly datasets: ReadonlyMap<string, NativeDataset>;
}

/** Deeper than any real product; stops a damaged file whose groups link in a cycle. */
const MAX_GROUP_DEPTH = 64;

/** HDF5 lists names in byte order of their UTF-8 encoding (strcmp). */
function byName(a: { name: string }, b: { name: string }): number {
  return Buffer.compare(Buffer.from(a.name, 'utf8'), Buffer.from(b.name, 'utf8'));
}

function inHdf5Order<T extends { name: string; creationOrder: number }>(items: readonly T[], creationOrdered: boolean): T[] {
  return [...items].sort(creationOrdered ? (a, b) => a.creationOrder - b.creationOrder : byName);
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Builds our model of a netCDF4/HDF5 product with the project's own HDF5 parser: the same groups, variables,
 * dimensions, attributes and order as the h5wasm reader gives, without starting HDF5. Throws
 * `Hdf5Unsupported` for what it does not implement, so the caller can read the file through HDF5 instead.
 */
export function readNativeStructure(file: Hdf5File): NativeStructure {
  const datasets = new Map<string, NativeDataset>();
  const pathsByAddress = new Map<number, string>();
  // Dimension lists name their scales by object address; scales may come later in the walk, so names are resolved at the end.
  const pendingDimensions: { names: string[]; scales: number[][]; rank: number }[] = [];

  const decode = (raw: RawAttribute): NcAttribute => {
    const count = elementsOf(raw.space);
    const values = decodeValues(raw.type, raw.data, count, file.heap, file.offsetSize);
    const dtype = modelDType(raw.type);
    if (raw.type.class === 'enum') return attributeFrom(raw.name, dtype, enumValues(values as number[], raw.type.members));
    return attributeFrom(raw.name, dtype, values);
  };

  const textAttribute = (attributes: readonly RawAttribute[], name: string): string | undefined => {
    const raw = attributes.find((a) => a.name === name);
    if (!raw || (raw.type.class !== 'string' && raw.type.class !== 'vlen-string')) return undefined;
    const [value] = decodeValues(raw.type, raw.data, Math.min(1, elementsOf(raw.space)), file.heap, file.offsetSize);
    return typeof value === 'string' ? value : undefined;
  };

  const fillValueOf = (attributes: readonly RawAttribute[], variable: Hdf5Dataset): number | null => {
    const dtype = modelDType(variable.type);
    if (dtype === 'string' || dtype === 'char') return null;
    const raw = attributes.find((a) => a.name === '_FillValue');
    if (!raw || elementsOf(raw.space) === 0) return null;
    const [first] = decodeValues(raw.type, raw.data, 1, file.heap, file.offsetSize);
    return typeof first === 'number' ? first : null;
  };

  const visitDataset = (object: Extract<Hdf5Object, { kind: 'dataset' }>, path: string, variables: NcVariable[], dimensions: NcDimension[]): void => {
    const { dataset } = object;
    const stored = file.attributes(object);
    const all = inHdf5Order(stored.attributes, stored.creationOrdered);
    const isScale = textAttribute(all, 'CLASS') === 'DIMENSION_SCALE';
    const scaleName = isScale ? textAttribute(all, 'NAME') : undefined;
    const dimensionOnly = typeof scaleName === 'string' && scaleName.startsWith(DIMENSION_ONLY_NAME);
    const shape = dataset.space.kind === 'simple' ? [...dataset.space.dims] : [];
    datasets.set(path, { path, address: object.address, dataset });
    if (isScale) {
      const size = shape[0] ?? 0;
      const max = dataset.space.maxDims?.[0] ?? size;
      dimensions.push({ name: basename(path), path, size, unlimited: isUnlimited(max) });
    }
    if (dimensionOnly) return;
    const names: string[] = [];
    const list = all.find((a) => a.name === 'DIMENSION_LIST');
    if (list) pendingDimensions.push({ names, rank: shape.length, scales: decodeReferenceLists(list.type, list.data, elementsOf(list.space), file.heap, file.offsetSize) });
    else names.push(...dimensionNamesFrom([], shape.length));
    variables.push({
      name: basename(path),
      path,
      dtype: modelDType(dataset.type),
      shape,
      dimensions: names,
      attributes: all.filter((a) => !INTERNAL_ATTRIBUTES.has(a.name)).map(decode),
      storage: { chunks: chunkShape(dataset.layout), filters: dataset.filters.map((f) => ({ id: f.id, name: f.name, parameters: [...f.parameters] })) },
      fillValue: fillValueOf(all, dataset),
      isCoordinate: isScale && !dimensionOnly,
    });
  };

  const visitGroup = (object: Hdf5Object, path: string, depth: number): NcGroup => {
    if (depth > MAX_GROUP_DEPTH) throw new Hdf5FormatError('groups nest deeper than any valid product');
    const variables: NcVariable[] = [];
    const dimensions: NcDimension[] = [];
    const groups: NcGroup[] = [];
    const { links, creationOrdered } = file.links(object);
    for (const link of inHdf5Order(links, creationOrdered)) {
      const childPath = joinPath(path, link.name);
      if (!pathsByAddress.has(link.address)) pathsByAddress.set(link.address, childPath);
      const child = file.object(link.address);
      if (child.kind === 'group') groups.push(visitGroup(child, childPath, depth + 1));
      else if (child.kind === 'dataset') visitDataset(child, childPath, variables, dimensions);
    }
    const attributes = file.attributes(object);
    return {
      name: path === '/' ? '/' : basename(path),
      path,
      attributes: inHdf5Order(attributes.attributes, attributes.creationOrdered).filter((a) => !INTERNAL_ATTRIBUTES.has(a.name)).map(decode),
      dimensions,
      variables,
      groups,
    };
  };

  const root = visitGroup(file.object(file.superblock.rootAddress), '/', 0);
  for (const pending of pendingDimensions) {
    const paths = pending.scales.map((addresses) => addresses.flatMap((a) => (pathsByAddress.has(a) ? [pathsByAddress.get(a)!] : [])));
    pending.names.push(...dimensionNamesFrom(paths, pending.rank));
  }
  return { root, datasets };
}
