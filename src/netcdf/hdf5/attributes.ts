import { readUnsigned, type FileBytes } from './file-bytes.js';
import { BTREE_V2, readBtreeV2Records } from './btree-v2.js';
import { parseDataspace, type Dataspace } from './dataspace.js';
import { parseDatatype, type Hdf5Type } from './datatype.js';
import { Hdf5FormatError, Hdf5Unsupported } from './errors.js';
import { FractalHeap } from './fractal-heap.js';
import { MESSAGE, readHeaderMessages, SHARED_MESSAGE_FLAG, type HeaderMessage } from './object-header.js';

export interface RawAttribute {
  readonly name: string;
  readonly type: Hdf5Type;
  readonly space: Dataspace;
  /** The stored value bytes, in file byte order (variable-length elements point into the global heap). */
  readonly data: Buffer;
  readonly creationOrder: number;
}

export interface ObjectAttributes {
  readonly attributes: readonly RawAttribute[];
  /** Whether the object indexes its attributes by creation order (HDF5 then lists them in that order). */
  readonly creationOrdered: boolean;
}

const SHARED_COMMITTED = 2;

/**
 * The datatype a shared-message reference points to. Only committed (named) datatypes are followed; messages in
 * the file's shared-message heap are not implemented.
 */
export function sharedDatatype(file: FileBytes, reference: Buffer): Hdf5Type {
  const version = reference[0];
  let address: number;
  if (version === 1) address = readUnsigned(reference, 8, file.offsetSize);
  else if (version === 2) address = readUnsigned(reference, 2, file.offsetSize);
  else if (version === 3 && reference[1] === SHARED_COMMITTED) address = readUnsigned(reference, 2, file.offsetSize);
  else throw new Hdf5Unsupported('a datatype in the shared-message heap');
  const message = readHeaderMessages(file, address).find((m) => m.type === MESSAGE.DATATYPE);
  if (!message) throw new Hdf5FormatError(`committed datatype at address ${address} has no datatype message`);
  return parseDatatype(message.data, 0, file.offsetSize).type;
}

/** A datatype message body, following it when it is shared. */
export function datatypeOf(file: FileBytes, data: Buffer, shared: boolean): Hdf5Type {
  return shared ? sharedDatatype(file, data) : parseDatatype(data, 0, file.offsetSize).type;
}

const pad8 = (n: number): number => Math.ceil(n / 8) * 8;

/** Decode an attribute message (versions 1-3). */
export function parseAttribute(file: FileBytes, data: Buffer, creationOrder: number): RawAttribute {
  const version = data[0];
  if (version !== 1 && version !== 2 && version !== 3) throw new Hdf5FormatError(`attribute message version ${version} does not exist`);
  const flags = version === 1 ? 0 : (data[1] ?? 0);
  const nameSize = data.readUInt16LE(2);
  const typeSize = data.readUInt16LE(4);
  const spaceSize = data.readUInt16LE(6);
  let p = version === 3 ? 9 : 8;
  const padded = (n: number): number => (version === 1 ? pad8(n) : n);
  const nameBytes = data.subarray(p, p + nameSize);
  const end = nameBytes.indexOf(0);
  const name = nameBytes.toString('utf8', 0, end < 0 ? nameBytes.length : end);
  p += padded(nameSize);
  const type = datatypeOf(file, data.subarray(p, p + typeSize), (flags & 0x01) !== 0);
  p += padded(typeSize);
  if (flags & 0x02) throw new Hdf5Unsupported(`a shared dataspace (attribute ${name})`);
  const space = parseDataspace(data.subarray(p, p + spaceSize), file.lengthSize);
  p += padded(spaceSize);
  return { name, type, space, data: data.subarray(p), creationOrder };
}

/** Every attribute of an object, from its attribute messages and, where it has many, its dense storage. */
export function readAttributes(file: FileBytes, messages: readonly HeaderMessage[]): ObjectAttributes {
  const attributes: RawAttribute[] = [];
  for (const m of messages) {
    if (m.type !== MESSAGE.ATTRIBUTE) continue;
    if (m.flags & SHARED_MESSAGE_FLAG) throw new Hdf5Unsupported('an attribute in the shared-message heap');
    attributes.push(parseAttribute(file, m.data, m.creationOrder));
  }
  const info = messages.find((m) => m.type === MESSAGE.ATTRIBUTE_INFO);
  if (!info) return { attributes, creationOrdered: false };
  const o = file.offsetSize;
  const flags = info.data[1] ?? 0;
  const p = 2 + (flags & 0x01 ? 2 : 0);
  const heapAddress = readUnsigned(info.data, p, o);
  const nameIndex = readUnsigned(info.data, p + o, o);
  if (Number.isFinite(heapAddress) && Number.isFinite(nameIndex)) {
    const heap = new FractalHeap(file, heapAddress);
    // Name index records: heap ID (8 bytes), message flags (1), creation order (4), name hash (4).
    for (const record of readBtreeV2Records(file, nameIndex, BTREE_V2.ATTRIBUTE_NAMES)) {
      if ((record[8] ?? 0) & SHARED_MESSAGE_FLAG) throw new Hdf5Unsupported('an attribute in the shared-message heap');
      attributes.push(parseAttribute(file, heap.read(record.subarray(0, 8)), record.readUInt32LE(9)));
    }
  }
  return { attributes, creationOrdered: (flags & 0x02) !== 0 };
}
