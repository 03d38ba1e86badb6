import type { Attribute, Dataset, Entity, Group, Metadata } from 'h5wasm/node';
import {
  attributeFrom,
  boundedNumbers,
  dimensionNamesFrom,
  DIMENSION_ONLY_NAME,
  enumValues,
  isUnlimited,
} from '../conventions.js';
import { plainText } from '../../text.js';
import { MAX_ATTRIBUTE_BYTES } from '../hdf5/census.js';
import {
  INTERNAL_ATTRIBUTES,
  joinPath,
  type DType,
  type NcAttribute,
  type NcDimension,
  type NcFilter,
  type NcGroup,
  type NcVariable,
} from '../model.js';

/** HDF5 type classes as h5wasm reports them in `Metadata.type`. */
const H5T = { INTEGER: 0, FLOAT: 1, STRING: 3, OPAQUE: 5, COMPOUND: 6, REFERENCE: 7, ENUM: 8 } as const;

export function dtypeOf(metadata: Metadata): DType {
  switch (metadata.type) {
    case H5T.INTEGER:
      if (![1, 2, 4, 8].includes(metadata.size)) return 'unknown';
      return `${metadata.signed ? 'i' : 'u'}${metadata.size}` as DType;
    case H5T.FLOAT:
      return metadata.size === 4 ? 'f4' : metadata.size === 8 ? 'f8' : 'unknown';
    case H5T.STRING:
      return metadata.vlen ? 'string' : 'char';
    case H5T.ENUM:
      return 'enum';
    case H5T.COMPOUND:
      return 'compound';
    case H5T.REFERENCE:
      return 'reference';
    case H5T.OPAQUE:
      return 'opaque';
    default:
      return 'unknown';
  }
}

function toPlainNumber(value: unknown): number {
  return typeof value === 'bigint' ? Number(value) : Number(value);
}

/**
 * netCDF attributes are 1-D arrays; a one-element array is what users call a scalar, so it decodes to a scalar.
 * Enums decode to their member names, except the HDF5 FALSE/TRUE enum (h5py's bool) which decodes to booleans.
 */
export function decodeAttribute(attribute: Attribute): NcAttribute {
  const metadata = attribute.metadata;
  const dtype = dtypeOf(metadata);
  // Fixed-size values are sized by their metadata before HDF5 reads them (variable-length ones by the census).
  const declared = metadata.vlen ? 0 : metadata.size * (metadata.shape ?? []).reduce((n, s) => n * s, 1);
  if (declared > MAX_ATTRIBUTE_BYTES)
    throw new RefusedObjectError(
      attribute.path,
      `refused: attribute ${attribute.name} holds ${declared.toLocaleString('en-US')} bytes, more than the ${MAX_ATTRIBUTE_BYTES / 1024 / 1024} MiB any product attribute needs`,
    );
  const raw = attribute.value;
  let values: (string | number | boolean)[];
  if (dtype === 'enum' && metadata.enum_type) {
    const byValue = new Map(Object.entries(metadata.enum_type.members).map(([name, v]) => [v, name]));
    const numbers = isIterableNumbers(raw) ? Array.from(raw as Iterable<unknown>, toPlainNumber) : [toPlainNumber(raw)];
    values = enumValues(numbers, byValue);
  } else if (dtype === 'string' || dtype === 'char') {
    values = Array.isArray(raw) ? raw.map((s) => plainText(s)) : [plainText(raw)];
  } else if (raw === null || raw === undefined) {
    values = [];
  } else if (typeof raw === 'string') {
    values = [raw];
  } else if (isIterableNumbers(raw)) {
    values = [
      ...(boundedNumbers(raw as ArrayLike<number | bigint>) ?? Array.from(raw as Iterable<unknown>, toPlainNumber)),
    ];
  } else if (typeof raw === 'number' || typeof raw === 'bigint' || typeof raw === 'boolean') {
    values = [typeof raw === 'boolean' ? raw : toPlainNumber(raw)];
  } else {
    values = [`<${dtype} value>`];
  }
  return attributeFrom(attribute.name, dtype, values);
}

function isIterableNumbers(raw: unknown): boolean {
  return (
    ArrayBuffer.isView(raw) || (Array.isArray(raw) && raw.every((v) => typeof v === 'number' || typeof v === 'bigint'))
  );
}

/** h5wasm rebuilds every Attribute object on each `attrs` access, so each object's attributes are fetched once. */
type Attributes = Record<string, Attribute>;

function readAttributes(attrs: Attributes): NcAttribute[] {
  const out: NcAttribute[] = [];
  for (const [name, attribute] of Object.entries(attrs)) {
    if (INTERNAL_ATTRIBUTES.has(name)) continue;
    out.push(decodeAttribute(attribute));
  }
  return out;
}

function rawAttribute(attrs: Attributes, name: string): unknown {
  const attribute = attrs[name];
  return attribute ? attribute.value : undefined;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function filtersOf(dataset: Dataset): NcFilter[] {
  return dataset.filters.map((f) => ({ id: f.id, name: f.name, parameters: [...f.cd_values] }));
}

interface DatasetFacts {
  readonly dataset: Dataset;
  readonly attrs: Attributes;
  readonly metadata: Metadata;
  readonly isScale: boolean;
  readonly dimensionOnly: boolean;
}

function factsOf(dataset: Dataset): DatasetFacts {
  const metadata = dataset.metadata;
  const attrs = dataset.attrs;
  const isScale = rawAttribute(attrs, 'CLASS') === 'DIMENSION_SCALE';
  const scaleName = isScale ? rawAttribute(attrs, 'NAME') : undefined;
  const dimensionOnly = typeof scaleName === 'string' && scaleName.startsWith(DIMENSION_ONLY_NAME);
  return { dataset, attrs, metadata, isScale, dimensionOnly };
}

/**
 * The object addresses of the first scale attached to each axis, as DIMENSION_LIST stores them (one list of object
 * references per axis), or null where the attribute is missing or not that shape. Reading them here and naming them
 * from the walk's own record of addresses replaces one HDF5 dimension-scale lookup per axis, which opens the
 * dataset again by its path and the scale by its reference. Measured on the frame90 benchmark pair (cold, Node 24):
 * the first product's walk 112 ms instead of 146, the second's 43 instead of 67; the same names on 240 products,
 * damaged ones included, and test/netcdf/h5wasm-reader.test.ts holds them to HDF5's lookup.
 */
function scaleAddresses(attrs: Attributes, rank: number): (number | null)[] | null {
  const list = attrs['DIMENSION_LIST'];
  if (!list || rank === 0) return null;
  let value: unknown;
  try {
    value = list.value;
  } catch (error) {
    // HDF5 crashing is reported as such; anything else leaves the axes to HDF5's own lookup.
    if (error instanceof WebAssembly.RuntimeError) throw error;
    return null;
  }
  if (!Array.isArray(value) || value.length !== rank) return null;
  return value.map((references: unknown) => {
    const first: unknown = Array.isArray(references) ? references[0] : undefined;
    const bytes = first instanceof Object && 'ref_data' in first ? first.ref_data : undefined;
    return bytes instanceof Uint8Array && bytes.length === 8 ? Number(Buffer.from(bytes).readBigUInt64LE(0)) : null;
  });
}

/** A variable whose dimension names are filled in once the walk has recorded every dataset's address. */
interface PendingDimensions {
  readonly names: string[];
  readonly dataset: Dataset;
  readonly scales: (number | null)[] | null;
}

/** Each axis named from its scale's address where the walk met that dataset, else by HDF5's lookup. */
function nameDimensions(pending: PendingDimensions, datasets: ReadonlyMap<number, string>): void {
  const rank = pending.names.length;
  const paths = Array.from({ length: rank }, (_, axis) => {
    const address = pending.scales?.[axis];
    const path = address === null || address === undefined ? undefined : datasets.get(address);
    return path === undefined ? pending.dataset.get_attached_scales(axis) : [path];
  });
  pending.names.splice(0, rank, ...dimensionNamesFrom(paths, rank));
}

function fillValueOf(attrs: Attributes, dtype: DType): number | null {
  if (dtype === 'string' || dtype === 'char') return null;
  const raw = rawAttribute(attrs, '_FillValue');
  if (raw === undefined || raw === null) return null;
  if (ArrayBuffer.isView(raw)) {
    const first = (raw as unknown as ArrayLike<number | bigint>)[0];
    return first === undefined ? null : toPlainNumber(first);
  }
  return typeof raw === 'number' || typeof raw === 'bigint' ? toPlainNumber(raw) : null;
}

function variableOf(facts: DatasetFacts, path: string, walk: Walk): NcVariable {
  const { dataset, metadata } = facts;
  const dtype = dtypeOf(metadata);
  const shape = metadata.shape ?? [];
  const names = new Array<string>(shape.length).fill('');
  const pending = { names, dataset, scales: walk.local ? scaleAddresses(facts.attrs, shape.length) : null };
  if (walk.local) walk.pending.push(pending);
  else nameDimensions(pending, new Map());
  return {
    name: basename(path),
    path,
    dtype,
    shape,
    dimensions: names,
    attributes: readAttributes(facts.attrs),
    storage: { chunks: metadata.chunks, filters: filtersOf(dataset) },
    fillValue: fillValueOf(facts.attrs, dtype),
    isCoordinate: facts.isScale && !facts.dimensionOnly,
  };
}

function dimensionOf(facts: DatasetFacts, path: string): NcDimension {
  const size = facts.metadata.shape?.[0] ?? 0;
  const max = facts.metadata.maxshape?.[0] ?? size;
  return { name: basename(path), path, size, unlimited: isUnlimited(max) };
}

/** h5wasm's classes belong to one HDF5 instance (see module.ts), so objects are told apart by their type name. */
function typeOf(entity: Entity | null | undefined): unknown {
  return entity && 'type' in entity ? entity.type : undefined;
}

export function isGroup(entity: Entity | null | undefined): entity is Group {
  return typeOf(entity) === 'Group';
}

export function isDataset(entity: Entity | null | undefined): entity is Dataset {
  return typeOf(entity) === 'Dataset';
}

/** A member HDF5 lists but cannot open. */
export class ListingError extends Error {
  override name = 'ListingError';
  constructor(readonly path: string) {
    super(`HDF5 lists ${path} but cannot open it`);
  }
}

/**
 * Checks each object before HDF5 reads its attributes (some damage makes HDF5 loop forever), and returns the check
 * of what HDF5 then lists: how many attributes and, for a group, links, so that a list HDF5 cut short without an
 * error can be refused (see src/netcdf/hdf5/census.ts).
 */
export type ListingAudit = (
  object: Group | Dataset,
  address: number,
) => (attributes: number, links: number | null) => void;

const noAudit: ListingAudit = () => () => undefined;

/**
 * An object the structure walk refuses: a link out of the product or to nothing, an attribute larger than any
 * product's (read before HDF5 would load it).
 */
export class RefusedObjectError extends Error {
  override name = 'RefusedObjectError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** Where a dataset of the product's own file is stored: what reading its chunks directly starts from. */
export interface DatasetPlace {
  /** Object header address. */
  readonly address: number;
  readonly littleEndian: boolean;
}

/** What a structure walk carries along: how to check and place objects, and what it has met so far. */
interface Walk {
  /** False below an external link: addresses there belong to another file, which the audit cannot read. */
  readonly local: boolean;
  readonly audit: ListingAudit;
  readonly address: (object: Group | Dataset) => number;
  readonly followExternal: (filename: string) => boolean;
  /** Addresses of the groups walked (in this file, or in the external file being walked). */
  readonly visited: Set<number>;
  /** Path by object address, and address and byte order by path, of the datasets met in this file. */
  readonly datasets: Map<number, string>;
  readonly places: Map<string, DatasetPlace>;
  readonly pending: PendingDimensions[];
}

export interface StructureOptions {
  readonly audit?: ListingAudit;
  /** An object's header address (a group met twice is walked once); none, and no group is walked twice. */
  readonly address?: (object: Group | Dataset) => number;
  /** Whether to follow an external link to this file (others are refused). */
  readonly followExternal?: (filename: string) => boolean;
}

export interface ProductStructure {
  readonly root: NcGroup;
  /** Every dataset of the product's own file, by path. */
  readonly places: ReadonlyMap<string, DatasetPlace>;
}

/**
 * Build our model of a file's groups from `group` down. Each group is visited once, whatever links lead to it
 * again (a hard or soft link back to an ancestor would otherwise be walked forever; h5py's visit does the same);
 * links out of the product (external links) and soft links to nothing are refused, naming them.
 */
export function readStructure(group: Group, path: string, options: StructureOptions = {}): ProductStructure {
  const address = options.address ?? (() => Number.NaN);
  const top = address(group);
  const walk: Walk = {
    local: true,
    audit: options.audit ?? noAudit,
    address,
    followExternal: options.followExternal ?? (() => false),
    visited: new Set([top]),
    datasets: new Map(),
    places: new Map(),
    pending: [],
  };
  const root = walkGroup(group, path, top, walk);
  for (const pending of walk.pending) nameDimensions(pending, walk.datasets);
  return { root, places: walk.places };
}

/** One group of the walk; `at` is its object header address. */
function walkGroup(group: Group, path: string, at: number, walk: Walk): NcGroup {
  const { audit, address, followExternal } = walk;
  const checkListing = audit(group, at);
  const variables: NcVariable[] = [];
  const dimensions: NcDimension[] = [];
  const groups: NcGroup[] = [];
  const names = group.keys();
  for (const name of names) {
    const childPath = joinPath(path, name);
    const external = group.get_external_link(childPath) as { filename?: string; obj_path?: string } | null;
    if (external?.filename !== undefined && !followExternal(external.filename))
      throw new RefusedObjectError(
        childPath,
        `is an external link to ${external.filename}:${external.obj_path ?? ''}; links out of the product are not followed (--follow-external-links follows those to files beside it)`,
      );
    const child = group.get(name);
    if (child === null || child === undefined) {
      // HDF5 listed the name but cannot open what it names: a damaged link or object header.
      throw new ListingError(childPath);
    }
    if (child instanceof Object && 'target' in child && typeOf(child) === 'BrokenSoftLink')
      throw new RefusedObjectError(childPath, `is a soft link to ${String(child.target)}, which does not exist`);
    if (isGroup(child)) {
      const where = address(child);
      // Addresses belong to a file: a group of another file (an external link followed) starts its own record,
      // and the audit, which reads this file's headers, cannot check it.
      const elsewhere = external?.filename !== undefined;
      const below = elsewhere ? { ...walk, local: false, audit: noAudit, visited: new Set<number>() } : walk;
      if (below.visited.has(where)) continue;
      below.visited.add(where);
      groups.push(walkGroup(child, childPath, where, below));
    } else if (isDataset(child)) {
      const where = address(child);
      const checkAttributes = audit(child, where);
      const facts = factsOf(child);
      if (walk.local && Number.isFinite(where)) {
        if (!walk.datasets.has(where)) walk.datasets.set(where, childPath);
        walk.places.set(childPath, { address: where, littleEndian: facts.metadata.littleEndian });
      }
      checkAttributes(Object.keys(facts.attrs).length, null);
      if (facts.isScale) dimensions.push(dimensionOf(facts, childPath));
      if (!facts.dimensionOnly) variables.push(variableOf(facts, childPath, walk));
    }
  }
  const attrs = group.attrs;
  checkListing(Object.keys(attrs).length, names.length);
  return {
    name: path === '/' ? '/' : basename(path),
    path,
    attributes: readAttributes(attrs),
    dimensions,
    variables,
    groups,
  };
}
