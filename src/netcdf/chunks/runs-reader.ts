import { elementCount, type ChunkSourceDescriptor, type RegionView } from '../reader.js';
import { bytesPerElement } from '../model.js';
import type { FileBytes } from '../hdf5/file-bytes.js';
import { FILTER_SHUFFLE, inflatesFirst } from './decode.js';
import { startChunkStream } from './chunk-stream.js';
import { RunBuilder, runnable, type ChunkRuns } from './runs.js';
import { runsView } from './runs-view.js';
import { forEachChunk, linearChunk } from './segments.js';

/** Inflate's output room when a chunk is inflated straight into runs: small enough to stay in cache. */
const RUN_ROOM = 64 * 1024;
let sharedRoom: Uint8Array | null = null;
function roomBuffer(): Uint8Array {
  sharedRoom ??= new Uint8Array(RUN_ROOM);
  return sharedRoom;
}

/**
 * Chunks of integers that compress at least this well are tried as runs ({@link ChunkRuns}), with at most one run
 * per `RUN_BYTES` decoded bytes (then the runs take at most 3/8 of the decoded chunk's memory). Connected-component
 * labels qualify (237:1 on the benchmark products): `gunw diff` then holds no decoded label chunk, and on the 30 m
 * frame pair, whose 25 label chunks straddle the phase chunks, inflates label chunks 51 times instead of 102 (77 of
 * them for phase regions), 7.3 s of CPU against 7.6 (3 interleaved runs each; wall time the same).
 */
const RUNS_MIN_RATIO = 8;
const RUN_BYTES = 32;
/**
 * The runs kept for regions across chunks, as a share of one decoded chunk: on the 30 m frame the label chunks a row
 * of phase regions crosses (10 of 25) take ~5 MB of runs, under half a chunk (10.9 MB).
 */
const RUN_CACHE_SHARE = 0.5;

/** One builder per thread: chunks are read one after another. */
const runBuilder = new RunBuilder();

/**
 * The chunks of one variable held as runs ({@link ChunkRuns}) where they compress well enough to be tried and make
 * few enough runs; the first chunk that makes too many stops the tries for the variable.
 */
export class ChunkRunsReader {
  /** Chunks held as runs, by linear index, oldest first; together at most half a decoded chunk's bytes. */
  private readonly cache = new Map<number, ChunkRuns>();
  private cacheBytes = 0;
  private wanted: boolean;
  private readonly chunkElements: number;
  private readonly elementSize: number;

  constructor(
    private readonly descriptor: ChunkSourceDescriptor,
    private readonly file: FileBytes,
  ) {
    this.wanted = runnable(descriptor.dtype) && descriptor.chunks.length > 0;
    this.chunkElements = elementCount(descriptor.chunks);
    this.elementSize = bytesPerElement(descriptor.dtype);
  }

  /** The region (chunks `first` to `last`) as runs when every chunk it touches can be held as runs; else null. */
  region(start: readonly number[], count: readonly number[], first: number[], last: number[]): RegionView | null {
    if (!this.wanted) return null;
    const { chunks, table } = this.descriptor;
    const held = new Map<number, ChunkRuns>();
    // Only regions across chunks keep their chunks' runs: a region inside one chunk is read once per layer.
    const straddles = first.some((f, d) => f !== last[d]);
    const whole = forEachChunk(first, last, (index) => {
      const linear = linearChunk(table.grid, index);
      const runs = this.runsOf(linear, straddles);
      if (runs) held.set(linear, runs);
      return runs !== null;
    });
    return whole ? runsView(held, chunks, table.grid, start, count) : null;
  }

  clear(): void {
    this.cache.clear();
    this.cacheBytes = 0;
  }

  /**
   * A chunk as runs, inflated a piece at a time straight into them (never decoded whole), or null when it does not
   * compress enough to be tried, or is not whole and right (the usual decode then says what is wrong with it).
   */
  private runsOf(linear: number, keep: boolean): ChunkRuns | null {
    const hit = this.cache.get(linear);
    if (hit) return hit;
    const { table, filters } = this.descriptor;
    const size = table.sizes[linear]!;
    const chunkBytes = this.chunkElements * this.elementSize;
    if (size * RUNS_MIN_RATIO > chunkBytes || !inflatesFirst(filters, table.filterMasks[linear]!)) return null;
    const shuffled = filters[0] === FILTER_SHUFFLE;
    const builder = runBuilder.start(this.chunkElements, this.elementSize, shuffled, Math.ceil(chunkBytes / RUN_BYTES));
    const address = table.addresses[linear]!;
    const stream = startChunkStream(size, (at, length, into) => this.file.readAt(address + at, length, into as Buffer));
    let whole = false;
    if (stream) {
      try {
        whole = stream.pass(chunkBytes, roomBuffer(), (bytes) => builder.take(bytes)) && stream.end();
      } catch {
        // Stored bytes the file does not hold: the usual decode reports it, naming the variable and the chunk.
        whole = false;
      }
      stream.recycle();
    }
    const runs = whole ? builder.finish(this.descriptor.dtype) : null;
    if (!runs) {
      // Too many runs (or a damaged chunk, which the usual decode reports): this variable is read decoded.
      this.wanted = false;
      return null;
    }
    if (!keep) return runs;
    for (const [oldest, old] of this.cache) {
      if (this.cacheBytes + runs.bytes <= chunkBytes * RUN_CACHE_SHARE) break;
      this.cache.delete(oldest);
      this.cacheBytes -= old.bytes;
    }
    this.cache.set(linear, runs);
    this.cacheBytes += runs.bytes;
    return runs;
  }
}
