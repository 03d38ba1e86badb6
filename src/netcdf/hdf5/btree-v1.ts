import { readUnsigned, type FileBytes } from './file-bytes.js';

export interface ChunkRecord {
  /** Element offset of the chunk's first element along each dimension. */
  readonly offsets: number[];
  readonly storedSize: number;
  readonly filterMask: number;
  readonly address: number;
}

const MAX_DEPTH = 32;

/**
 * Collect every chunk of a version-1 B-tree of raw data chunks (node type 1). Keys hold the chunk's stored size,
 * filter mask and element offsets (8 bytes each, one per dimension plus one for the element); children are
 * addresses of lower nodes or, at level 0, of the chunks themselves.
 */
export function readChunkBtree(file: FileBytes, rootAddress: number, rank: number): ChunkRecord[] {
  const records: ChunkRecord[] = [];
  const keySize = 8 + 8 * (rank + 1);
  const visit = (address: number, depth: number): void => {
    if (depth > MAX_DEPTH) throw new Error('chunk B-tree is deeper than any valid file');
    const head = file.readAddress(address, 8 + 2 * file.offsetSize);
    if (head.toString('latin1', 0, 4) !== 'TREE') throw new Error(`no B-tree node at address ${address}`);
    if (head[4] !== 1) throw new Error(`B-tree node type ${head[4]} is not a chunk index`);
    const level = head[5] ?? 0;
    const entries = head.readUInt16LE(6);
    const bodyStart = address + 8 + 2 * file.offsetSize;
    const body = file.readAddress(bodyStart, entries * (keySize + file.offsetSize) + keySize);
    for (let i = 0; i < entries; i++) {
      const key = i * (keySize + file.offsetSize);
      const child = readUnsigned(body, key + keySize, file.offsetSize);
      if (level > 0) {
        visit(child, depth + 1);
        continue;
      }
      const offsets: number[] = [];
      for (let d = 0; d < rank; d++) offsets.push(Number(body.readBigUInt64LE(key + 8 + 8 * d)));
      records.push({ offsets, storedSize: body.readUInt32LE(key), filterMask: body.readUInt32LE(key + 4), address: child });
    }
  };
  visit(rootAddress, 0);
  return records;
}
