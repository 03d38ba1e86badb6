import { readUnsigned, type FileBytes } from './file-bytes.js';
import { Hdf5FormatError } from './errors.js';

/** v2 B-tree record types this project reads: the name indexes of dense links and dense attributes. */
export const BTREE_V2 = { LINK_NAMES: 5, ATTRIBUTE_NAMES: 8 } as const;

/** Node metadata around the records: signature, version, type and checksum. */
const NODE_PREFIX = 10;
const MAX_DEPTH = 32;

function encodedSize(n: number): number {
  return Math.floor(Math.floor(Math.log2(Math.max(1, n))) / 8) + 1;
}

/**
 * Every record of the version-2 B-tree whose header is at `address`, in key order, as raw bytes. The tree's type
 * must be `expectedType`. The sizes of the child record counts in internal nodes follow from the node size, as
 * HDF5 computes them.
 */
export function readBtreeV2Records(file: FileBytes, address: number, expectedType: number): Buffer[] {
  const o = file.offsetSize;
  const head = file.readAddress(address, 16 + o + 2 + file.lengthSize + 4);
  if (head.toString('latin1', 0, 4) !== 'BTHD') throw new Hdf5FormatError(`no v2 B-tree header at address ${address}`);
  const type = head[5];
  if (type !== expectedType) throw new Hdf5FormatError(`v2 B-tree at address ${address} has records of type ${type}, expected ${expectedType}`);
  const nodeSize = head.readUInt32LE(6);
  const recordSize = head.readUInt16LE(10);
  const depth = head.readUInt16LE(12);
  if (depth > MAX_DEPTH) throw new Hdf5FormatError('v2 B-tree is deeper than any valid file');
  const rootAddress = readUnsigned(head, 16, o);
  const rootRecords = head.readUInt16LE(16 + o);

  const leafMax = Math.floor((nodeSize - NODE_PREFIX) / recordSize);
  const countSize = encodedSize(leafMax);
  const cumulativeMax = [leafMax];
  const cumulativeSize = [0];
  for (let d = 1; d <= depth; d++) {
    const pointer = o + countSize + (d > 1 ? cumulativeSize[d - 1]! : 0);
    const internalMax = Math.floor((nodeSize - (NODE_PREFIX + pointer)) / (recordSize + pointer));
    cumulativeMax.push((internalMax + 1) * cumulativeMax[d - 1]! + internalMax);
    cumulativeSize.push(encodedSize(cumulativeMax[d]!));
  }

  const records: Buffer[] = [];
  const visit = (node: number, count: number, level: number): void => {
    if (!Number.isFinite(node) || count === 0) return;
    const pointerSize = level > 0 ? o + countSize + (level > 1 ? cumulativeSize[level - 1]! : 0) : 0;
    const bytes = file.readAddress(node, 6 + count * recordSize + (level > 0 ? (count + 1) * pointerSize : 0));
    const signature = bytes.toString('latin1', 0, 4);
    if (signature !== (level > 0 ? 'BTIN' : 'BTLF')) throw new Hdf5FormatError(`no v2 B-tree node at address ${node}`);
    const recordAt = (i: number): Buffer => bytes.subarray(6 + i * recordSize, 6 + (i + 1) * recordSize);
    if (level === 0) {
      for (let i = 0; i < count; i++) records.push(recordAt(i));
      return;
    }
    const pointers = 6 + count * recordSize;
    for (let i = 0; i <= count; i++) {
      const at = pointers + i * pointerSize;
      visit(readUnsigned(bytes, at, o), readUnsigned(bytes, at + o, countSize), level - 1);
      if (i < count) records.push(recordAt(i));
    }
  };
  visit(rootAddress, rootRecords, depth);
  return records;
}
