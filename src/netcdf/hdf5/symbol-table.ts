import { readUnsigned, type FileBytes } from './file-bytes.js';
import { Hdf5FormatError, Hdf5Unsupported } from './errors.js';

export interface SymbolTableLink {
  readonly name: string;
  readonly address: number;
}

const MAX_DEPTH = 32;
const SOFT_LINK_CACHE = 2;

function localHeapData(file: FileBytes, address: number): Buffer {
  const l = file.lengthSize;
  const head = file.readAddress(address, 8 + 2 * l + file.offsetSize);
  if (head.toString('latin1', 0, 4) !== 'HEAP') throw new Hdf5FormatError(`no local heap at address ${address}`);
  const size = readUnsigned(head, 8, l);
  return file.readAddress(readUnsigned(head, 8 + 2 * l, file.offsetSize), size);
}

function nameAt(heap: Buffer, offset: number): string {
  const end = heap.indexOf(0, offset);
  if (end < 0) throw new Hdf5FormatError('a link name in a local heap is not terminated');
  return heap.toString('utf8', offset, end);
}

/**
 * The links of an old-style group (symbol table message): a version-1 B-tree of group nodes whose leaves point to
 * symbol table nodes, with the names in the group's local heap. Returned in the tree's (name) order.
 */
export function readSymbolTable(file: FileBytes, btreeAddress: number, heapAddress: number): SymbolTableLink[] {
  const o = file.offsetSize;
  const l = file.lengthSize;
  const heap = localHeapData(file, heapAddress);
  const links: SymbolTableLink[] = [];
  const entrySize = 2 * o + 24;
  const readNode = (address: number): void => {
    const head = file.readAddress(address, 8);
    if (head.toString('latin1', 0, 4) !== 'SNOD') throw new Hdf5FormatError(`no symbol table node at address ${address}`);
    const count = head.readUInt16LE(6);
    const entries = file.readAddress(address + 8, count * entrySize);
    for (let i = 0; i < count; i++) {
      const at = i * entrySize;
      if (entries.readUInt32LE(at + 2 * o) === SOFT_LINK_CACHE) throw new Hdf5Unsupported('a soft link');
      links.push({ name: nameAt(heap, readUnsigned(entries, at, o)), address: readUnsigned(entries, at + o, o) });
    }
  };
  const visit = (address: number, depth: number): void => {
    if (depth > MAX_DEPTH) throw new Hdf5FormatError('group B-tree is deeper than any valid file');
    const head = file.readAddress(address, 8 + 2 * o);
    if (head.toString('latin1', 0, 4) !== 'TREE') throw new Hdf5FormatError(`no B-tree node at address ${address}`);
    if (head[4] !== 0) throw new Hdf5FormatError(`B-tree node at address ${address} is not a group index`);
    const level = head[5] ?? 0;
    const count = head.readUInt16LE(6);
    const body = file.readAddress(address + 8 + 2 * o, count * (l + o) + l);
    for (let i = 0; i < count; i++) {
      const child = readUnsigned(body, i * (l + o) + l, o);
      if (level > 0) visit(child, depth + 1);
      else readNode(child);
    }
  };
  visit(btreeAddress, 0);
  return links;
}
