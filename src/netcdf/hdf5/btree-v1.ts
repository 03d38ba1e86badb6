import { readUnsigned, type FileBytes } from './file-bytes.js';
import { Hdf5FormatError } from './errors.js';

export interface ChunkRecord {
  /** Element offset of the chunk's first element along each dimension. */
  readonly offsets: number[];
  readonly storedSize: number;
  readonly filterMask: number;
  readonly address: number;
}

/** What the chunk keys must agree with. */
export interface ChunkGeometry {
  readonly chunks: readonly number[];
  /** The largest stored size a chunk of this dataset can have (filters may grow incompressible data a little). */
  readonly maxStoredSize: number;
}

/** Deeper than any B-tree a file of 2^53 bytes could hold. */
const MAX_DEPTH = 64;

/** A version-1 B-tree node as met in a depth-first walk, for {@link SiblingChain}. */
interface NodeLinks {
  readonly address: number;
  readonly left: number;
  readonly right: number;
}

/**
 * The sibling addresses of a version-1 B-tree: HDF5 walks each level through them (to size the tree, for
 * example), so nodes met left to right on one level must name each other, and the ends must name nothing.
 */
export class SiblingChain {
  private readonly levels = new Map<number, NodeLinks[]>();

  add(level: number, head: Buffer, address: number, offsetSize: number): void {
    const links = {
      address,
      left: readUnsigned(head, 8, offsetSize),
      right: readUnsigned(head, 8 + offsetSize, offsetSize),
    };
    const list = this.levels.get(level) ?? [];
    list.push(links);
    this.levels.set(level, list);
  }

  check(): void {
    for (const [level, nodes] of this.levels) {
      nodes.forEach((node, i) => {
        const left = i > 0 ? nodes[i - 1]!.address : Number.POSITIVE_INFINITY;
        const right = i < nodes.length - 1 ? nodes[i + 1]!.address : Number.POSITIVE_INFINITY;
        if (node.left !== left || node.right !== right)
          throw new Hdf5FormatError(`B-tree node at address ${node.address} (level ${level}) names the wrong siblings`);
      });
    }
  }
}

/** Lexicographic order of two chunk keys' offsets, as HDF5 orders them to search the tree. */
function compareOffsets(a: readonly number[], b: readonly number[]): number {
  for (let d = 0; d < a.length; d++) if (a[d] !== b[d]) return a[d]! < b[d]! ? -1 : 1;
  return 0;
}

interface Key {
  readonly storedSize: number;
  readonly filterMask: number;
  /** One offset per dimension plus the element offset (always 0). */
  readonly offsets: number[];
}

/**
 * Every chunk of a version-1 B-tree of raw data chunks (node type 1), checked so that the chunks found here are
 * exactly the ones HDF5 finds when it searches the same tree: nodes carry the signature, type and level they must,
 * no node is visited twice, keys are strictly increasing within each node and across the whole tree, every chunk
 * lies between the keys its parents give it, sits on the chunk grid, and names stored bytes inside the file.
 */
/**
 * The fixed head of a version-1 B-tree node (signature, type, level, entries, siblings), read once its address is
 * known to be new (a second visit is a loop) and inside the file. Shared by the chunk index and the group census;
 * each checks the signature and type its own way.
 */
export function readNodeHead(
  file: FileBytes,
  address: number,
  kind: 'chunk' | 'group',
  visited: Set<number>,
  limit = Number.POSITIVE_INFINITY,
): { head: Buffer; headSize: number } {
  if (visited.has(address) || visited.size > limit)
    throw new Hdf5FormatError(`${kind} B-tree node at address ${address} is reached twice (a loop)`);
  visited.add(address);
  const headSize = 8 + 2 * file.offsetSize;
  if (!file.holds(address, headSize))
    throw new Hdf5FormatError(`${kind} B-tree node address ${address} is outside the file`);
  return { head: file.readAddress(address, headSize), headSize };
}

export function readChunkBtree(file: FileBytes, rootAddress: number, geometry: ChunkGeometry): ChunkRecord[] {
  const rank = geometry.chunks.length;
  const keySize = 8 + 8 * (rank + 1);
  const records: ChunkRecord[] = [];
  const visited = new Set<number>();
  const siblings = new SiblingChain();
  let previous: number[] | null = null;

  const readKey = (body: Buffer, at: number): Key => {
    const offsets: number[] = [];
    for (let d = 0; d <= rank; d++) offsets.push(readUnsigned(body, at + 8 + 8 * d, 8));
    return { storedSize: body.readUInt32LE(at), filterMask: body.readUInt32LE(at + 4), offsets };
  };

  const visit = (
    address: number,
    expectedLevel: number | null,
    low: number[] | null,
    high: number[] | null,
    depth: number,
  ): void => {
    if (depth > MAX_DEPTH) throw new Hdf5FormatError('chunk B-tree is deeper than any valid file');
    const { head, headSize } = readNodeHead(file, address, 'chunk', visited);
    if (head.toString('latin1', 0, 4) !== 'TREE') throw new Hdf5FormatError(`no B-tree node at address ${address}`);
    if (head[4] !== 1)
      throw new Hdf5FormatError(`B-tree node at address ${address} has type ${head[4]}, not a chunk index`);
    const level = head[5]!;
    if (expectedLevel !== null && level !== expectedLevel)
      throw new Hdf5FormatError(
        `B-tree node at address ${address} has level ${level}, its parent says ${expectedLevel}`,
      );
    const entries = head.readUInt16LE(6);
    siblings.add(level, head, address, file.offsetSize);
    const bodyStart = address + headSize;
    const bodySize = entries * (keySize + file.offsetSize) + keySize;
    if (!file.holds(bodyStart, bodySize))
      throw new Hdf5FormatError(
        `B-tree node at address ${address} with ${entries} entries runs past the end of the file`,
      );
    const body = file.readAddress(bodyStart, bodySize);
    const keys = Array.from({ length: entries + 1 }, (_, i) => readKey(body, i * (keySize + file.offsetSize)));
    for (let i = 0; i <= entries; i++) {
      // Left keys (one per child) start at element 0; the last key is the right bound, past the last chunk.
      const key = keys[i]!;
      if (i < entries && key.offsets[rank] !== 0)
        throw new Hdf5FormatError(
          `B-tree node at address ${address}: key ${i} has element offset ${key.offsets[rank]}`,
        );
      if (i > 0 && compareOffsets(keys[i - 1]!.offsets, key.offsets) >= 0)
        throw new Hdf5FormatError(`B-tree node at address ${address}: keys ${i - 1} and ${i} are out of order`);
    }
    if (
      entries > 0 &&
      ((low && compareOffsets(keys[0]!.offsets, low) < 0) ||
        (high && compareOffsets(keys[entries - 1]!.offsets, high) >= 0))
    ) {
      throw new Hdf5FormatError(`B-tree node at address ${address}: keys outside the range its parent gives`);
    }
    for (let i = 0; i < entries; i++) {
      const child = readUnsigned(body, i * (keySize + file.offsetSize) + keySize, file.offsetSize);
      const key = keys[i]!;
      if (level > 0) {
        visit(child, level - 1, key.offsets, keys[i + 1]!.offsets, depth + 1);
        continue;
      }
      const offsets = key.offsets.slice(0, rank);
      offsets.forEach((offset, d) => {
        if (offset % geometry.chunks[d]! !== 0)
          throw new Hdf5FormatError(
            `chunk at address ${child}: offset ${offset} is not on the chunk grid of dimension ${d}`,
          );
      });
      if (previous && compareOffsets(previous, key.offsets) >= 0)
        throw new Hdf5FormatError(`chunk B-tree: chunk [${offsets.join(', ')}] is out of order`);
      previous = key.offsets;
      if (key.storedSize === 0 || key.storedSize > geometry.maxStoredSize)
        throw new Hdf5FormatError(`chunk [${offsets.join(', ')}] declares ${key.storedSize} stored bytes`);
      if (!file.holds(child, key.storedSize))
        throw new Hdf5FormatError(
          `chunk [${offsets.join(', ')}]: ${key.storedSize} bytes at address ${child} lie outside the file`,
        );
      records.push({ offsets, storedSize: key.storedSize, filterMask: key.filterMask, address: child });
    }
  };
  visit(rootAddress, null, null, null, 0);
  siblings.check();
  return records;
}
