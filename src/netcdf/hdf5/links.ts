import { readUnsigned, type FileBytes } from './file-bytes.js';
import { BTREE_V2, readBtreeV2Records } from './btree-v2.js';
import { Hdf5FormatError, Hdf5Unsupported } from './errors.js';
import { FractalHeap } from './fractal-heap.js';
import { MESSAGE, type HeaderMessage } from './object-header.js';
import { readSymbolTable } from './symbol-table.js';

export interface Link {
  readonly name: string;
  /** Object header address of the linked object. */
  readonly address: number;
  /** Creation index where the group tracks it, else -1. */
  readonly creationOrder: number;
}

export interface GroupLinks {
  readonly links: readonly Link[];
  /** Whether the group indexes its links by creation order (HDF5 then lists them in that order). */
  readonly creationOrdered: boolean;
}

const LINK_TYPE = { HARD: 0, SOFT: 1, EXTERNAL: 64 } as const;

/** Decode a link message (type 0x06). Only hard links are followed; soft and external links are not implemented. */
export function parseLink(data: Buffer, offsetSize: number): Link {
  if (data[0] !== 1) throw new Hdf5FormatError(`link message version ${data[0]} does not exist`);
  const flags = data[1] ?? 0;
  let p = 2;
  let linkType: number = LINK_TYPE.HARD;
  if (flags & 0x08) linkType = data[p++] ?? 0;
  let creationOrder = -1;
  if (flags & 0x04) {
    creationOrder = Number(data.readBigUInt64LE(p));
    p += 8;
  }
  if (flags & 0x10) p++; // name character set: names are decoded as UTF-8 either way (ASCII is a subset)
  const lengthSize = 1 << (flags & 0x03);
  const nameLength = readUnsigned(data, p, lengthSize);
  p += lengthSize;
  const name = data.toString('utf8', p, p + nameLength);
  p += nameLength;
  if (linkType === LINK_TYPE.SOFT) throw new Hdf5Unsupported(`soft link ${name}`);
  if (linkType !== LINK_TYPE.HARD) throw new Hdf5Unsupported(`${linkType === LINK_TYPE.EXTERNAL ? 'external' : `type-${linkType}`} link ${name}`);
  if (p + offsetSize > data.length) throw new Hdf5FormatError(`link message for ${name} is cut short`);
  return { name, address: readUnsigned(data, p, offsetSize), creationOrder };
}

/** The links of a group, whichever of HDF5's three ways it stores them (symbol table, link messages, dense). */
export function readGroupLinks(file: FileBytes, messages: readonly HeaderMessage[]): GroupLinks {
  const o = file.offsetSize;
  const symbolTable = messages.find((m) => m.type === MESSAGE.SYMBOL_TABLE);
  if (symbolTable) {
    const links = readSymbolTable(file, readUnsigned(symbolTable.data, 0, o), readUnsigned(symbolTable.data, o, o));
    return { links: links.map((l) => ({ ...l, creationOrder: -1 })), creationOrdered: false };
  }
  const links = messages.filter((m) => m.type === MESSAGE.LINK).map((m) => parseLink(m.data, o));
  const info = messages.find((m) => m.type === MESSAGE.LINK_INFO);
  if (!info) return { links, creationOrdered: false };
  const flags = info.data[1] ?? 0;
  const p = 2 + (flags & 0x01 ? 8 : 0);
  const heapAddress = readUnsigned(info.data, p, o);
  const nameIndex = readUnsigned(info.data, p + o, o);
  if (Number.isFinite(heapAddress) && Number.isFinite(nameIndex)) {
    const heap = new FractalHeap(file, heapAddress);
    // Name index records: the name's hash (4 bytes), then the heap ID of the link message.
    for (const record of readBtreeV2Records(file, nameIndex, BTREE_V2.LINK_NAMES)) links.push(parseLink(heap.read(record.subarray(4)), o));
  }
  return { links, creationOrdered: (flags & 0x02) !== 0 };
}
