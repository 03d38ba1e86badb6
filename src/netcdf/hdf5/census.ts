import { readUnsigned, type FileBytes } from './file-bytes.js';
import { readNodeHead, SiblingChain } from './btree-v1.js';
import { btreeRecords, readBtreeHeader } from './btree-v2.js';
import { Hdf5FormatError, Hdf5LimitError } from './errors.js';
import { numericTypeProblem } from './datatype.js';
import { MESSAGE, readHeaderMessages } from './object-header.js';
import { forEachDenseAttribute } from './dense-attributes.js';

/**
 * How many attributes and links an object's header says it has, counted from the header itself (and, for dense
 * or symbol-table storage, from the index that holds them). h5wasm lists attributes and links with HDF5
 * iterations whose failure it ignores, so a damaged index can silently give a shorter list; comparing the list
 * with this count turns that silence into a refusal. Symbol tables are also checked the way older HDF5 releases
 * check them while listing (names inside the group's local heap, B-tree siblings), so a group one HDF5 release
 * refuses is not read by another.
 */
export interface Census {
  readonly attributes: number;
  /** Links of a group; null for other objects. */
  readonly links: number | null;
}

const { DATATYPE, FILL_VALUE_OLD, FILL_VALUE, LINK_INFO, LINK, ATTRIBUTE, SYMBOL_TABLE, ATTRIBUTE_INFO } = MESSAGE;

/**
 * The most an attribute's values may take. A GUNW's largest attributes are a few kilobytes; a 200 MB text attribute
 * made the reader take 1.6 GB, so larger ones are refused before HDF5 reads them.
 */
export const MAX_ATTRIBUTE_BYTES = 16 * 1024 * 1024;

/**
 * The most all of one object's attributes may take together (their messages and variable-length values): many
 * attributes each under {@link MAX_ATTRIBUTE_BYTES}, or many pointing at the same bytes, would otherwise add up to
 * what no product holds before HDF5 had read them.
 */
export const MAX_OBJECT_ATTRIBUTE_BYTES = 64 * 1024 * 1024;

/** More group B-tree nodes than any group holds is a loop. */
const MAX_GROUP_NODES = 1 << 20;

/**
 * The dense storage a link info or attribute info message describes (after a creation index of `orderBytes`): its
 * heap, and the records of its name index, every node read and checked as HDF5 checks it when it lists the links or
 * attributes. The creation-order index, when kept, is checked as far as HDF5 reads it whatever the listing order
 * (its header; its nodes only when listing in that order, which HDF5 1.10 does not).
 */
function denseStorage(file: FileBytes, data: Buffer, orderBytes: number): { heap: number; names: DenseIndex | null } {
  const flags = data[1] ?? 0;
  const at = 2 + (flags & 0x01 ? orderBytes : 0);
  const size = (flags & 0x02 ? 3 : 2) * file.offsetSize;
  if (data.length < at + size) throw new Hdf5FormatError('link or attribute info message is too short');
  const heap = readUnsigned(data, at, file.offsetSize);
  if (!Number.isFinite(heap)) return { heap, names: null };
  const order = flags & 0x02 ? readUnsigned(data, at + 2 * file.offsetSize, file.offsetSize) : Number.NaN;
  if (Number.isFinite(order)) readBtreeHeader(file, order);
  const names = readUnsigned(data, at + file.offsetSize, file.offsetSize);
  if (!Number.isFinite(names)) return { heap, names: null };
  const header = readBtreeHeader(file, names);
  return { heap, names: { type: header.type, records: btreeRecords(file, header) } };
}

interface DenseIndex {
  readonly type: number;
  readonly records: readonly Buffer[];
}

/** The data segment of a group's local heap (where link names are). */
function localHeap(file: FileBytes, address: number): Buffer {
  const size = 8 + 2 * file.lengthSize + file.offsetSize;
  if (!file.holds(address, size)) throw new Hdf5FormatError(`local heap address ${address} is outside the file`);
  const head = file.readAddress(address, size);
  if (head.toString('latin1', 0, 4) !== 'HEAP' || head[4] !== 0)
    throw new Hdf5FormatError(`no local heap at address ${address}`);
  const dataSize = readUnsigned(head, 8, file.lengthSize);
  const dataAddress = readUnsigned(head, 8 + 2 * file.lengthSize, file.offsetSize);
  if (!file.holds(dataAddress, dataSize))
    throw new Hdf5FormatError(`local heap data of ${dataSize} bytes at address ${dataAddress} is outside the file`);
  const data = file.readAddress(dataAddress, dataSize);
  checkFreeList(data, readUnsigned(head, 8 + file.lengthSize, file.lengthSize), file.lengthSize, address);
  return data;
}

/** The end of a local heap's free list (HDF5's H5HL_FREE_NULL). */
const FREE_LIST_END = 1;

/**
 * The free blocks of a local heap: each inside the data, none met twice, as HDF5 1.10 checks when it loads the heap
 * (it refuses the group otherwise).
 */
function checkFreeList(data: Buffer, head: number, lengthSize: number, address: number): void {
  const seen = new Set<number>();
  for (let offset = head; Number.isFinite(offset) && offset !== FREE_LIST_END;) {
    if (seen.has(offset) || offset + 2 * lengthSize > data.length)
      throw new Hdf5FormatError(`local heap at address ${address} has a bad free list`);
    seen.add(offset);
    const size = readUnsigned(data, offset + lengthSize, lengthSize);
    if (size < 2 * lengthSize || offset + size > data.length)
      throw new Hdf5FormatError(`local heap at address ${address} has a bad free list`);
    offset = readUnsigned(data, offset, lengthSize);
  }
}

function checkName(heap: Buffer, offset: number, where: string): void {
  if (!(offset < heap.length) || heap.indexOf(0, offset) < 0)
    throw new Hdf5FormatError(`${where} names a link at offset ${offset} of a ${heap.length}-byte local heap`);
}

/** Symbols in every symbol-table node of a version-1 group B-tree (node type 0), their names checked. */
function symbolCount(file: FileBytes, root: number, heap: Buffer): number {
  let count = 0;
  const visited = new Set<number>();
  const siblings = new SiblingChain();
  const entrySize = 2 * file.offsetSize + 24;
  const visit = (address: number): void => {
    const { head, headSize } = readNodeHead(file, address, 'group', visited, MAX_GROUP_NODES);
    if (head.toString('latin1', 0, 4) !== 'TREE' || head[4] !== 0)
      throw new Hdf5FormatError(`no group B-tree node at address ${address}`);
    const level = head[5]!;
    const entries = head.readUInt16LE(6);
    siblings.add(level, head, address, file.offsetSize);
    const step = file.lengthSize + file.offsetSize;
    const bodySize = entries * step + file.lengthSize;
    if (!file.holds(address + headSize, bodySize))
      throw new Hdf5FormatError(`group B-tree node at address ${address} runs past the end of the file`);
    const body = file.readAddress(address + headSize, bodySize);
    for (let i = 0; i <= entries; i++)
      checkName(
        heap,
        readUnsigned(body, i * step, file.lengthSize),
        `group B-tree node at address ${address}, key ${i},`,
      );
    for (let i = 0; i < entries; i++) {
      const child = readUnsigned(body, i * step + file.lengthSize, file.offsetSize);
      if (level > 0) {
        visit(child);
        continue;
      }
      if (!file.holds(child, 8)) throw new Hdf5FormatError(`symbol table node address ${child} is outside the file`);
      const node = file.readAddress(child, 8);
      if (node.toString('latin1', 0, 4) !== 'SNOD' || node[4] !== 1)
        throw new Hdf5FormatError(`no symbol table node at address ${child}`);
      const symbols = node.readUInt16LE(6);
      if (!file.holds(child + 8, symbols * entrySize))
        throw new Hdf5FormatError(`symbol table node at address ${child} runs past the end of the file`);
      const table = file.readAddress(child + 8, symbols * entrySize);
      for (let k = 0; k < symbols; k++) {
        checkName(
          heap,
          readUnsigned(table, k * entrySize, file.offsetSize),
          `symbol table node at address ${child}, entry ${k},`,
        );
        const header = readUnsigned(table, k * entrySize + file.offsetSize, file.offsetSize);
        // Cache type 2 is a soft link, whose entry names no object header (its target is in the scratch pad).
        const cacheType = table.readUInt32LE(k * entrySize + 2 * file.offsetSize);
        if (cacheType !== 2 && !file.holds(header, 16))
          throw new Hdf5FormatError(
            `symbol table node at address ${child}, entry ${k}, names an object header outside the file`,
          );
      }
      count += symbols;
    }
  };
  visit(root);
  siblings.check();
  return count;
}

/** Elements of a dataspace message (version 1 or 2); null when it cannot be told. */
function dataspaceElements(data: Buffer, lengthSize: number): number | null {
  const version = data[0];
  const rank = data[1] ?? 0;
  if (version === 2 && data[3] === 2) return 0;
  const at = version === 1 ? 8 : version === 2 ? 4 : -1;
  if (at < 0 || data.length < at + rank * lengthSize) return null;
  let elements = 1;
  for (let d = 0; d < rank; d++) elements *= readUnsigned(data, at + d * lengthSize, lengthSize);
  return elements;
}

const VARIABLE_LENGTH = 9;
const SHARED_PARTS = 0x03;

/**
 * An attribute's numeric type must be a plain one, and the global heap collections its variable-length
 * values live in must be sound (HDF5 1.10 refuses such an attribute where later releases read on, or loop).
 * Returns the bytes its variable-length values declare.
 */
function checkAttribute(file: FileBytes, data: Buffer, checked: Set<number>): number {
  const version = data[0];
  if (
    (version !== 1 && version !== 2 && version !== 3) ||
    data.length < 8 ||
    (version > 1 && (data[1]! & SHARED_PARTS) !== 0)
  )
    return 0;
  const pad = (n: number): number => (version === 1 ? Math.ceil(n / 8) * 8 : n);
  const [nameSize, typeSize, spaceSize] = [data.readUInt16LE(2), data.readUInt16LE(4), data.readUInt16LE(6)];
  const typeAt = (version === 3 ? 9 : 8) + pad(nameSize);
  const spaceAt = typeAt + pad(typeSize);
  const valuesAt = spaceAt + pad(spaceSize);
  if (valuesAt > data.length) throw new Hdf5FormatError('attribute message is shorter than its parts');
  const typeProblem = numericTypeProblem(data.subarray(typeAt, typeAt + typeSize));
  if (typeProblem) throw new Hdf5FormatError(`an attribute has ${typeProblem}, not a type a product holds`);
  if ((data[typeAt]! & 0x0f) !== VARIABLE_LENGTH) return 0;
  const elements = dataspaceElements(data.subarray(spaceAt, spaceAt + spaceSize), file.lengthSize);
  const width = 8 + file.offsetSize;
  if (elements === null || valuesAt + elements * width > data.length)
    throw new Hdf5FormatError('attribute values are shorter than its dataspace declares');
  // Each value starts with its length: the whole is known before HDF5 would read it into memory.
  let declared = 0;
  for (let i = 0; i < elements; i++) declared += data.readUInt32LE(valuesAt + i * width);
  if (declared > MAX_ATTRIBUTE_BYTES)
    throw new Hdf5LimitError(
      `an attribute holds ${declared.toLocaleString('en-US')} bytes of variable-length values, more than the ${MAX_ATTRIBUTE_BYTES / 1024 / 1024} MiB any product attribute needs`,
    );
  for (let i = 0; i < elements; i++) {
    const collection = readUnsigned(data, valuesAt + i * width + 4, file.offsetSize);
    if (data.readUInt32LE(valuesAt + i * width) === 0 || checked.has(collection)) continue;
    checked.add(collection);
    checkGlobalHeapCollection(file, collection);
  }
  return declared;
}

/**
 * A global heap collection whose objects do not tile it exactly: HDF5 refuses some such collections and loops
 * forever on others, so every object's size is checked before HDF5 reads one.
 */
function checkGlobalHeapCollection(file: FileBytes, address: number): void {
  if (!file.holds(address, 16))
    throw new Hdf5FormatError(`global heap collection address ${address} is outside the file`);
  const head = file.readAddress(address, 16);
  if (head.toString('latin1', 0, 4) !== 'GCOL' || head[4] !== 1)
    throw new Hdf5FormatError(`no global heap collection at address ${address}`);
  const size = readUnsigned(head, 8, file.lengthSize);
  if (!(size >= 16) || !file.holds(address, size))
    throw new Hdf5FormatError(
      `global heap collection of ${size} bytes at address ${address} runs past the end of the file`,
    );
  const collection = file.readAddress(address, size);
  const objectHeader = 8 + file.lengthSize;
  let p = 8 + file.lengthSize;
  while (p + objectHeader <= size) {
    const index = collection.readUInt16LE(p);
    const objectSize = readUnsigned(collection, p + 8, file.lengthSize);
    if (index === 0) {
      // The free space: it runs from here to the end of the collection, its size counting its own header.
      if (objectSize !== size - p)
        throw new Hdf5FormatError(
          `global heap collection at address ${address}: free space of ${objectSize} bytes where ${size - p} remain`,
        );
      return;
    }
    const padded = Math.ceil(objectSize / 8) * 8;
    if (!(p + objectHeader + padded <= size))
      throw new Hdf5FormatError(
        `global heap collection at address ${address}: object ${index} of ${objectSize} bytes runs past the collection`,
      );
    p += objectHeader + padded;
  }
}

/**
 * A fill value message must describe one of HDF5's three states (undefined, the default, a value of the dataset's
 * size): HDF5 1.10 refuses to read a dataset whose message is anything else.
 */
function checkFillValue(type: number, data: Buffer, elementSize: number | null): void {
  let size: number;
  let valueAt: number;
  if (type === FILL_VALUE_OLD) {
    if (data.length < 4) throw new Hdf5FormatError('fill value message is too short');
    [size, valueAt] = [data.readUInt32LE(0), 4];
  } else if (data[0] === 1 || data[0] === 2) {
    if (data.length < 4 || data[1]! > 3 || data[2]! > 2 || data[3]! > 1)
      throw new Hdf5FormatError('fill value message holds unknown settings');
    if (data[3] === 0) return;
    if (data.length < 8) throw new Hdf5FormatError('fill value message is too short');
    [size, valueAt] = [data.readInt32LE(4), 8];
  } else if (data[0] === 3) {
    const flags = data[1] ?? 0;
    if (flags & 0xc0 || (flags & 0x10 && flags & 0x20))
      throw new Hdf5FormatError('fill value message holds unknown or contradictory flags');
    if (!(flags & 0x20)) return;
    if (data.length < 6) throw new Hdf5FormatError('fill value message is too short');
    [size, valueAt] = [data.readInt32LE(2), 6];
  } else {
    throw new Hdf5FormatError(`fill value message version ${data[0]}`);
  }
  if (size < 0 || valueAt + size > data.length || (size > 0 && elementSize !== null && size !== elementSize)) {
    throw new Hdf5FormatError(`fill value message declares a ${size}-byte value`);
  }
}

export function objectCensus(file: FileBytes, address: number, checkedCollections = new Set<number>()): Census {
  let attributes = 0;
  let links: number | null = null;
  let attributeBytes = 0;
  const account = (bytes: number): void => {
    attributeBytes += bytes;
    if (attributeBytes > MAX_OBJECT_ATTRIBUTE_BYTES)
      throw new Hdf5LimitError(
        `its attributes take more than the ${MAX_OBJECT_ATTRIBUTE_BYTES / 1024 / 1024} MiB all of one object's attributes need`,
      );
  };
  const messages = readHeaderMessages(file, address);
  const datatype = messages.find((m) => m.type === DATATYPE);
  const typeProblem = datatype && (datatype.flags & 0x02) === 0 ? numericTypeProblem(datatype.data) : null;
  if (typeProblem) throw new Hdf5FormatError(`its values have ${typeProblem}, not a type a product holds`);
  const elementSize =
    datatype && datatype.data.length >= 8 && (datatype.flags & 0x02) === 0 ? datatype.data.readUInt32LE(4) : null;
  for (const message of messages) {
    if ((message.type === FILL_VALUE || message.type === FILL_VALUE_OLD) && (message.flags & 0x02) === 0)
      checkFillValue(message.type, message.data, elementSize);
    else if (message.type === ATTRIBUTE) {
      attributes++;
      account(message.data.length + checkAttribute(file, message.data, checkedCollections));
    } else if (message.type === ATTRIBUTE_INFO) {
      const { heap, names } = denseStorage(file, message.data, 2);
      if (!names) continue;
      attributes += names.records.length;
      forEachDenseAttribute(file, heap, names, MAX_ATTRIBUTE_BYTES, (data) =>
        account(data.length + checkAttribute(file, data, checkedCollections)),
      );
    } else if (message.type === LINK) links = (links ?? 0) + 1;
    else if (message.type === LINK_INFO)
      links = (links ?? 0) + (denseStorage(file, message.data, 8).names?.records.length ?? 0);
    else if (message.type === SYMBOL_TABLE) {
      if (message.data.length < 2 * file.offsetSize) throw new Hdf5FormatError('symbol table message is too short');
      const heap = localHeap(file, readUnsigned(message.data, file.offsetSize, file.offsetSize));
      links = (links ?? 0) + symbolCount(file, readUnsigned(message.data, 0, file.offsetSize), heap);
    }
  }
  return { attributes, links };
}
