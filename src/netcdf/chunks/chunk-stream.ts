import zlib from 'node:zlib';
import type { PieceReader } from './inflate.js';
import { DrivenStream } from './zlib-handle.js';

/** Stored bytes read at a time by a stream that stays open between calls (it keeps its own input buffer). */
const INPUT_PIECE = 64 * 1024;

/**
 * One chunk's deflate stream, inflated on demand: {@link fill} hands out the next decoded bytes, as many as asked,
 * and the stream stays open in between, so a reader can take the start of a chunk now and the rest later, while
 * other streams run. {@link end} checks that nothing is left and the adler32 trailer matched. Any failure is
 * `false`: the caller then decodes the chunk the usual way, which says what is wrong with it.
 */
export class ChunkStream {
  private readonly stream = new DrivenStream(() => zlib.createInflate());
  private readonly input = Buffer.allocUnsafe(INPUT_PIECE);
  private inputFrom = 0;
  private inputTo = 0;
  private offset = 0;
  private total = 0;
  private read: PieceReader = () => new Uint8Array(0);

  /** Start inflating a stream of `total` stored bytes that `read` gives; false where this Node cannot. */
  begin(total: number, read: PieceReader): boolean {
    Object.assign(this, { total, read, offset: 0, inputFrom: 0, inputTo: 0 });
    return this.stream.reset();
  }

  /** Exactly `into.length` more decoded bytes into `into`; false when the stream fails or ends first. */
  fill(into: Uint8Array): boolean {
    let written = 0;
    while (written < into.length) {
      if (this.inputFrom === this.inputTo && this.offset < this.total) this.refill();
      const input = this.input.subarray(this.inputFrom, this.inputTo);
      const flush = this.offset === this.total ? zlib.constants.Z_FINISH : zlib.constants.Z_NO_FLUSH;
      const state = this.stream.write(flush, input, into, written);
      if (!state) return false;
      const now = into.length - state.availableOut;
      const used = input.length - state.availableIn;
      // No progress: the stream ended (or stalled) before the chunk did.
      if (now === written && used === 0) return false;
      written = now;
      this.inputFrom += used;
    }
    return true;
  }

  /**
   * The next `length` decoded bytes handed to `visit` `room.length` at a time, in order; false when the stream fails
   * or ends first, or `visit` returns false (it wants no more).
   */
  pass(length: number, room: Uint8Array, visit: (bytes: Uint8Array) => boolean): boolean {
    for (let done = 0; done < length;) {
      const part = room.subarray(0, Math.min(room.length, length - done));
      if (!this.fill(part) || !visit(part)) return false;
      done += part.length;
    }
    return true;
  }

  /** True when the stream ends exactly here: every stored byte used, no decoded byte left, the trailer right. */
  end(): boolean {
    const spare = new Uint8Array(1);
    for (;;) {
      if (this.inputFrom === this.inputTo && this.offset < this.total) this.refill();
      const input = this.input.subarray(this.inputFrom, this.inputTo);
      const last = this.offset === this.total;
      const state = this.stream.write(last ? zlib.constants.Z_FINISH : zlib.constants.Z_NO_FLUSH, input, spare);
      if (!state || state.availableOut === 0) return false;
      const used = input.length - state.availableIn;
      // Stored bytes the stream does not take: it ended before them.
      if (!last && used === 0) return false;
      this.inputFrom += used;
      // With room left and Z_FINISH, zlib stops without an error only at the stream's end (see inflate.ts).
      if (last) return this.inputFrom === this.inputTo;
    }
  }

  /** Done with this stream: it serves the next chunk read plane by plane in this thread. */
  recycle(): void {
    if (kept.length < KEPT_STREAMS) kept.push(this);
  }

  private refill(): void {
    const length = Math.min(this.input.length, this.total - this.offset);
    this.read(this.offset, length, this.input);
    this.offset += length;
    this.inputFrom = 0;
    this.inputTo = length;
  }
}

/** Streams kept for the next chunks (each holds zlib's state and a 64 KiB input buffer). */
const kept: ChunkStream[] = [];
const KEPT_STREAMS = 4;

/**
 * A stream for a chunk of `total` stored bytes, with its first `head.length` decoded bytes (none by default) already
 * in `head`; null where that fails (the caller decodes the chunk the usual way, which says what is wrong with it).
 * Give it back with {@link ChunkStream.recycle}.
 */
export function startChunkStream(
  total: number,
  read: PieceReader,
  head: Uint8Array = new Uint8Array(0),
): ChunkStream | null {
  const stream = kept.pop() ?? new ChunkStream();
  let started: boolean;
  try {
    started = stream.begin(total, read) && stream.fill(head);
  } catch {
    started = false;
  }
  if (started) return stream;
  stream.recycle();
  return null;
}
