import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
import { readFully } from '../../io/read-fully.js';
import { FileBytes } from '../hdf5/file-bytes.js';
import { MESSAGE, readHeaderMessages } from '../hdf5/object-header.js';
import { BufferPool } from './buffer-pool.js';
import { slabEncoder, type EncodedSlabAndMemory, type SlabEncoder } from './encoder-pool.js';
import { chunkOrigins, product } from './slab-encoding.js';

/**
 * Writes the raw data of chunked datasets into an HDF5 file that h5wasm has laid out: h5wasm creates each such
 * dataset empty (current shape 0, maximum shape the real one, chunked, with a filter pipeline message), and this
 * module then appends the chunks — shuffled and deflated, which h5wasm cannot combine — with a version-1 B-tree
 * chunk index, and patches the dataset's dataspace, filter pipeline and layout messages and the superblock's
 * end-of-file address. Chunks are produced slab by slab along the first dimension, so a layer is never held whole,
 * and encoded (slab-encoding.ts) on worker threads while the next slabs are read (encoder-pool.ts).
 */

const UNDEFINED_ADDRESS = 0xffffffffffffffffn;
const FILTER_DEFLATE = 1;
const FILTER_SHUFFLE = 2;
/** HDF5's default indexed-storage K: chunk B-tree nodes hold up to 2K children and are always allocated that big. */
const ISTORE_K = 32;

/**
 * A slab of `count` entries along the first dimension starting at `start`, full extent in the others; `into` is
 * memory of exactly the slab's size lent for it (see SlabSource.read).
 */
export type SlabReader = (start: number, count: number, into: ArrayBuffer) => Promise<Uint8Array> | Uint8Array;

export interface ChunkedData {
  /** Object header address of the dataset (h5wasm's object reference). */
  readonly address: number;
  readonly shape: readonly number[];
  readonly chunks: readonly number[];
  readonly elementSize: number;
  readonly deflateLevel: number | null;
  readonly shuffle: boolean;
  /** Bytes of one element of the fill value, used to pad edge chunks. */
  readonly fill: Uint8Array;
  readonly read: SlabReader;
  /** The slabs `read` returns are the writer's to give away (see SlabSource.fresh). */
  readonly freshSlabs?: boolean;
  /** Called after each slab is written: how far along the first dimension. */
  readonly onProgress?: (done: number, total: number) => void;
}

interface ChunkEntry {
  readonly offsets: readonly number[];
  readonly size: number;
  readonly address: bigint;
}

class RandomAccessFile {
  readonly fd: number;
  end: number;

  constructor(path: string) {
    this.fd = openSync(path, 'r+');
    this.end = fstatSync(this.fd).size;
  }

  read(position: number, length: number): Buffer {
    const buffer = Buffer.alloc(length);
    readFully(
      this.fd,
      buffer,
      position,
      () => new Error(`the HDF5 file being written ends before byte ${position + length}`),
    );
    return buffer;
  }

  write(position: number, data: Uint8Array): void {
    let done = 0;
    while (done < data.length) done += writeSync(this.fd, data, done, data.length - done, position + done);
  }

  append(data: Uint8Array): bigint {
    const at = this.end;
    this.write(at, data);
    this.end += data.length;
    return BigInt(at);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Where a dataset's messages to patch are, and the chunks written for it so far. */
interface DatasetWriting {
  readonly data: ChunkedData;
  readonly messages: { dataspace: MessageAt; pipeline: MessageAt; layout: MessageAt };
  readonly entries: ChunkEntry[];
  slabsLeft: number;
}

type MessageAt = { at: number; size: number };

/**
 * The chunks of every dataset, slab after slab: slabs are encoded by the encoder's threads and written in order as
 * they come back, while the next slabs are read here — a rolling window of `encoder.window` slabs that runs on
 * from one dataset into the next, so the threads never wait at a dataset's end. A dataset's B-tree and messages
 * are written as soon as its last slab is.
 */
async function writeAllChunks(
  file: RandomAccessFile,
  datasets: readonly DatasetWriting[],
  encoder: SlabEncoder,
): Promise<void> {
  const pending: {
    dataset: DatasetWriting;
    origins: number[][];
    encoded: Promise<EncodedSlabAndMemory>;
    lent: boolean;
  }[] = [];
  // Slabs in flight: one being read, `window` waiting, one being written. Lending the same slabs again instead of
  // a new 13.6 MB array per slab: packaging the 30 m benchmark frame (2 cores) peaked at 423–446 MB instead of
  // 489–496 MB (malloc kept the freed slabs' memory), in the same time.
  const memory = new BufferPool(encoder.window + 2);
  const drain = async (keep: number): Promise<void> => {
    while (pending.length > keep) {
      const next = pending.shift()!;
      const { bytes, sizes, slab } = await next.encoded;
      if (next.lent) memory.give(slab);
      let address = file.append(bytes);
      encoder.recycle(bytes);
      next.origins.forEach((offsets, i) => {
        next.dataset.entries.push({ offsets, size: sizes[i]!, address });
        address += BigInt(sizes[i]!);
      });
      if (--next.dataset.slabsLeft === 0) finishDataset(file, next.dataset);
    }
  };
  try {
    for (const dataset of datasets) {
      const { data } = dataset;
      const { shape, chunks, elementSize } = data;
      const slabRows = chunks[0]!;
      for (let start = 0; start < shape[0]!; start += slabRows) {
        const count = Math.min(slabRows, shape[0]! - start);
        const expected = count * product(shape.slice(1)) * elementSize;
        const into = memory.takeWhole(expected);
        const read = await data.read(start, count, into.buffer as ArrayBuffer);
        const slab = new Uint8Array(read.buffer, read.byteOffset, read.byteLength);
        if (slab.byteLength !== expected)
          throw new Error(`slab at ${start} has ${slab.byteLength} bytes, expected ${expected}`);
        // The source filled the memory lent to it (and returned all of it), or it kept its own.
        const lent = slab.buffer === into.buffer && slab.byteOffset === 0;
        if (!lent) memory.give(into);
        const origins = chunkOrigins(start, shape, chunks);
        pending.push({
          dataset,
          origins,
          lent,
          encoded: encoder.encode(lent || data.freshSlabs === true, {
            slab,
            slabShape: [count, ...shape.slice(1)],
            origins: origins.map((origin) => [0, ...origin.slice(1)]),
            chunks,
            elementSize,
            fill: data.fill,
            shuffle: data.shuffle,
            deflateLevel: data.deflateLevel,
          }),
        });
        await drain(encoder.window);
        data.onProgress?.(start + count, shape[0]!);
      }
    }
    await drain(0);
  } finally {
    await Promise.allSettled(pending.map((p) => p.encoded));
  }
}

function finishDataset(file: RandomAccessFile, { data, messages, entries }: DatasetWriting): void {
  const root = writeBtree(file, entries, data.chunks);
  patchDataspace(file, messages.dataspace.at, data.shape);
  patchPipeline(file, messages.pipeline.at, messages.pipeline.size, data);
  patchLayout(file, messages.layout.at, root);
}

/** One chunk B-tree key: stored size, filter mask, then the chunk's element offsets and a trailing 0. */
function writeKey(node: Buffer, at: number, size: number, offsets: readonly number[]): void {
  node.writeUInt32LE(size, at);
  node.writeUInt32LE(0, at + 4);
  offsets.forEach((o, d) => node.writeBigUInt64LE(BigInt(o), at + 8 + 8 * d));
  node.writeBigUInt64LE(0n, at + 8 + 8 * offsets.length);
}

interface NodeRef {
  readonly address: bigint;
  readonly first: ChunkEntry;
  readonly last: ChunkEntry;
}

/** Build the version-1 B-tree over the chunks, leaves first, and return the root's address. */
function writeBtree(file: RandomAccessFile, entries: readonly ChunkEntry[], chunks: readonly number[]): bigint {
  const rank = chunks.length;
  const keySize = 8 + 8 * (rank + 1);
  const capacity = 2 * ISTORE_K;
  const nodeSize = 8 + 16 + capacity * 8 + (capacity + 1) * keySize;
  const upperBound = (entry: ChunkEntry): number[] => entry.offsets.map((o, d) => o + chunks[d]!);
  let level = 0;
  let children: { address: bigint; first: ChunkEntry; last: ChunkEntry }[] = entries.map((e) => ({
    address: e.address,
    first: e,
    last: e,
  }));
  for (;;) {
    const groups = Math.max(1, Math.ceil(children.length / capacity));
    const perGroup = Math.ceil(children.length / groups);
    const nodes: Omit<NodeRef, 'address'>[] = [];
    const buffers: Buffer[] = [];
    for (let g = 0; g < groups; g++) {
      const members = children.slice(g * perGroup, (g + 1) * perGroup);
      const node = Buffer.alloc(nodeSize);
      node.write('TREE', 0, 'latin1');
      node[4] = 1;
      node[5] = level;
      node.writeUInt16LE(members.length, 6);
      members.forEach((child, i) => {
        const at = 24 + i * (keySize + 8);
        writeKey(node, at, child.first.size, child.first.offsets);
        node.writeBigUInt64LE(child.address, at + keySize);
      });
      const last = members.at(-1)!.last;
      writeKey(node, 24 + members.length * (keySize + 8), 0, upperBound(last));
      buffers.push(node);
      nodes.push({ first: members[0]!.first, last });
    }
    // Siblings need every node's address first: the nodes of one level are appended back to back.
    const firstAt = file.end;
    const addresses = buffers.map((_, i) => BigInt(firstAt + i * nodeSize));
    buffers.forEach((node, i) => {
      node.writeBigUInt64LE(i > 0 ? addresses[i - 1]! : UNDEFINED_ADDRESS, 8);
      node.writeBigUInt64LE(i < buffers.length - 1 ? addresses[i + 1]! : UNDEFINED_ADDRESS, 16);
      file.append(node);
    });
    if (buffers.length === 1) return addresses[0]!;
    children = nodes.map((n, i) => ({ address: addresses[i]!, first: n.first, last: n.last }));
    level++;
  }
}

/** Where each message's body lies in the file, by type (h5wasm files have 8-byte addresses and base 0). */
function messagePositions(path: string, address: number): Map<number, { at: number; size: number }> {
  const bytes = new FileBytes(path);
  try {
    return new Map(readHeaderMessages(bytes, address).map((m) => [m.type, { at: m.at, size: m.data.length }]));
  } finally {
    bytes.close();
  }
}

function patchDataspace(file: RandomAccessFile, at: number, shape: readonly number[]): void {
  const head = file.read(at, 8);
  const version = head[0];
  const rank = head[1]!;
  if (rank !== shape.length) throw new Error(`dataspace rank ${rank} differs from ${shape.length}`);
  const dimsAt = version === 1 ? at + 8 : at + 4;
  const dims = Buffer.alloc(8 * rank);
  shape.forEach((s, d) => dims.writeBigUInt64LE(BigInt(s), 8 * d));
  file.write(dimsAt, dims);
}

/** A version-2 filter pipeline (no names, no padding) fits where h5wasm's one-filter version-1 message was. */
function patchPipeline(file: RandomAccessFile, at: number, size: number, data: ChunkedData): void {
  const filters: [number, number][] = [];
  if (data.shuffle) filters.push([FILTER_SHUFFLE, data.elementSize]);
  if (data.deflateLevel !== null) filters.push([FILTER_DEFLATE, data.deflateLevel]);
  const body = Buffer.alloc(size);
  body[0] = 2;
  body[1] = filters.length;
  filters.forEach(([id, value], i) => {
    const p = 2 + i * 10;
    body.writeUInt16LE(id, p);
    // Optional, as netCDF-C and h5py mark shuffle and deflate: a chunk that does not compress may be stored raw.
    body.writeUInt16LE(1, p + 2);
    body.writeUInt16LE(1, p + 4);
    body.writeUInt32LE(value, p + 6);
  });
  if (2 + filters.length * 10 > size) throw new Error('filter pipeline message has no room for shuffle and deflate');
  file.write(at, body);
}

function patchLayout(file: RandomAccessFile, at: number, root: bigint): void {
  const head = file.read(at, 3);
  if (head[0] !== 3 || head[1] !== 2)
    throw new Error(`expected a version-3 chunked layout message, found version ${head[0]} class ${head[1]}`);
  const address = Buffer.alloc(8);
  address.writeBigUInt64LE(root);
  file.write(at + 3, address);
}

/** Superblock versions 0 and 1 keep the end-of-file address at a fixed place; h5wasm writes version 0. */
function patchEndOfFile(file: RandomAccessFile): void {
  const head = file.read(0, 64);
  const version = head[8];
  if (version !== 0 && version !== 1)
    throw new Error(`superblock version ${version}: only versions 0 and 1 are patched`);
  const end = Buffer.alloc(8);
  end.writeBigUInt64LE(BigInt(file.end));
  file.write(version === 0 ? 40 : 44, end);
}

/** Append the chunks of every dataset in `datasets` to the HDF5 file at `path` and point the datasets at them. */
export async function writeChunkedData(path: string, datasets: readonly ChunkedData[]): Promise<void> {
  if (datasets.length === 0) return;
  const writing = datasets.map((data): DatasetWriting => {
    const messages = messagePositions(path, data.address);
    const dataspace = messages.get(MESSAGE.DATASPACE);
    const pipeline = messages.get(MESSAGE.FILTER_PIPELINE);
    const layout = messages.get(MESSAGE.LAYOUT);
    if (!dataspace || !layout || !pipeline)
      throw new Error(`object at ${data.address} is not an empty chunked, filtered dataset`);
    return {
      data,
      messages: { dataspace, pipeline, layout },
      entries: [],
      slabsLeft: Math.ceil(data.shape[0]! / data.chunks[0]!),
    };
  });
  const file = new RandomAccessFile(path);
  const encoder = slabEncoder();
  try {
    await writeAllChunks(file, writing, encoder);
    patchEndOfFile(file);
  } finally {
    file.close();
    await encoder.close();
  }
}
