import { readUnsigned, type FileBytes } from './file-bytes.js';
import { Hdf5FormatError } from './errors.js';
import { checksumMatches } from './checksum.js';

/** Signature, version, type and checksum: the bytes of a version-2 B-tree node that are not records or pointers. */
const NODE_PREFIX = 10;

/** Deeper than any version-2 B-tree of a file of 2^53 bytes. */
const MAX_DEPTH = 32;

/** More nodes than any index of a product holds: beyond it, the tree loops. */
const MAX_NODES = 1 << 16;

/**
 * More node bytes than any index of a product holds (HDF5 makes attribute and link index nodes 512 bytes): a header
 * declaring huge nodes cannot make a walk read gigabytes.
 */
const MAX_TREE_BYTES = 64 * 1024 * 1024;

/** Bytes HDF5 uses to store a count up to `limit` (its H5VM_limit_enc_size). */
export function countBytes(limit: number): number {
  return Math.floor(Math.log2(Math.max(limit, 1)) / 8) + 1;
}

export interface BtreeHeader {
  readonly type: number;
  readonly nodeSize: number;
  readonly recordSize: number;
  readonly depth: number;
  readonly root: number;
  readonly rootRecords: number;
  readonly totalRecords: number;
}

/** The header ("BTHD") of the version-2 B-tree at `address`. */
export function readBtreeHeader(file: FileBytes, address: number): BtreeHeader {
  const size = 22 + file.offsetSize + file.lengthSize;
  if (!file.holds(address, size)) throw new Hdf5FormatError(`B-tree header at address ${address} is outside the file`);
  const head = file.readAddress(address, size);
  if (head.toString('latin1', 0, 4) !== 'BTHD') throw new Hdf5FormatError(`no B-tree header at address ${address}`);
  if (!checksumMatches(head, size - 4))
    throw new Hdf5FormatError(`the B-tree header at address ${address} fails its checksum`);
  return {
    type: head[5]!,
    nodeSize: head.readUInt32LE(6),
    recordSize: head.readUInt16LE(10),
    depth: head.readUInt16LE(12),
    root: readUnsigned(head, 16, file.offsetSize),
    rootRecords: head.readUInt16LE(16 + file.offsetSize),
    totalRecords: readUnsigned(head, 18 + file.offsetSize, file.lengthSize),
  };
}

/**
 * Every record of a version-2 B-tree, in key order, each a `recordSize`-byte slice. The sizes of the count fields in
 * internal nodes are derived from the node and record sizes the way HDF5 derives them (H5B2__hdr_init); nodes are
 * visited once, at most {@link MAX_NODES} of them, and the records found must number what the header says.
 */
export function btreeRecords(file: FileBytes, header: BtreeHeader): Buffer[] {
  const { nodeSize, recordSize, depth } = header;
  if (recordSize === 0 || nodeSize <= NODE_PREFIX || nodeSize > MAX_TREE_BYTES || depth > MAX_DEPTH)
    throw new Hdf5FormatError(`B-tree of ${nodeSize}-byte nodes, ${recordSize}-byte records and depth ${depth}`);
  const leafRecords = Math.floor((nodeSize - NODE_PREFIX) / recordSize);
  const childCountBytes = countBytes(leafRecords);
  // Per level: the size of a child's "records below" field, and how many records a subtree of that level holds.
  const belowBytes = [0];
  const belowMax = [leafRecords];
  for (let level = 1; level <= depth; level++) {
    const pointer = file.offsetSize + childCountBytes + belowBytes[level - 1]!;
    const records = Math.floor((nodeSize - NODE_PREFIX - pointer) / (recordSize + pointer));
    if (records < 1) throw new Hdf5FormatError(`B-tree nodes of ${nodeSize} bytes hold no records at depth ${level}`);
    belowMax.push((records + 1) * belowMax[level - 1]! + records);
    belowBytes.push(countBytes(belowMax[level]!));
  }

  const records: Buffer[] = [];
  const visited = new Set<number>();
  const visit = (address: number, count: number, level: number): void => {
    if (visited.has(address) || visited.size >= MAX_NODES || (visited.size + 1) * nodeSize > MAX_TREE_BYTES)
      throw new Hdf5FormatError(`B-tree node at address ${address} is met twice or the tree is too large`);
    visited.add(address);
    if (!file.holds(address, nodeSize))
      throw new Hdf5FormatError(`B-tree node at address ${address} is outside the file`);
    const node = file.readAddress(address, nodeSize);
    const signature = node.toString('latin1', 0, 4);
    if (signature !== (level === 0 ? 'BTLF' : 'BTIN') || node[5] !== header.type)
      throw new Hdf5FormatError(`no B-tree node of type ${header.type} at address ${address}`);
    const pointerSize = level === 0 ? 0 : file.offsetSize + childCountBytes + belowBytes[level - 1]!;
    const end = 6 + count * recordSize + (level === 0 ? 0 : (count + 1) * pointerSize);
    if (end + 4 > nodeSize) throw new Hdf5FormatError(`B-tree node at address ${address} claims ${count} records`);
    if (!checksumMatches(node, end))
      throw new Hdf5FormatError(`the B-tree node at address ${address} fails its checksum`);
    const own = (i: number): Buffer => node.subarray(6 + i * recordSize, 6 + (i + 1) * recordSize);
    if (level === 0) {
      for (let i = 0; i < count; i++) records.push(own(i));
      return;
    }
    for (let i = 0; i <= count; i++) {
      const at = 6 + count * recordSize + i * pointerSize;
      const child = readUnsigned(node, at, file.offsetSize);
      const childCount = node.readUIntLE(at + file.offsetSize, childCountBytes);
      visit(child, childCount, level - 1);
      if (i < count) records.push(own(i));
    }
  };
  if (header.totalRecords > 0) visit(header.root, header.rootRecords, depth);
  if (records.length !== header.totalRecords)
    throw new Hdf5FormatError(`B-tree holds ${records.length} records where its header says ${header.totalRecords}`);
  return records;
}
