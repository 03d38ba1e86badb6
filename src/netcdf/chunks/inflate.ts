import zlib, { inflateSync } from 'node:zlib';
import { Hdf5FormatError } from '../hdf5/errors.js';
import { DrivenStream } from './zlib-handle.js';

/**
 * zlib inflate into a buffer the caller owns. `inflateSync` allocates a fresh output buffer per call; for a 15 MB
 * chunk that is a fresh 15 MB allocation per chunk, which both costs time (page faults) and leaves a trail of dead
 * buffers that the garbage collector frees late, so the resident size of a comparison grows with its speed.
 *
 * The stream is driven through zlib-handle.ts. Where that cannot be (another Node), where the data is corrupt, or
 * where the output does not fit, it falls back to `inflateSync`, which gives the usual result and the usual error
 * messages. Measured on the frame90 benchmark pair (`gunw diff`, 2026-12-07, 8 runs each): 2.41 s and 279–283 MB
 * peak RSS this way, 2.84 s and 349–361 MB with `inflateSync` for every chunk.
 * A single-threaded loop over one 16.8 MB chunk shows no gain: it is the many threads' garbage that this avoids.
 */

/**
 * Extra output room the fast path needs: with the output exactly full, zlib could stop before reading the stream's
 * end and adler32 trailer, and a truncated stream would pass unnoticed.
 */
export const INFLATE_SLACK = 1;

/** Reads `length` stored bytes from `offset` into `into`; returns them (a view of `into`). */
export type PieceReader = (offset: number, length: number, into: Uint8Array) => Uint8Array;

export class Inflater {
  private readonly stream = new DrivenStream(() => zlib.createInflate());

  /** How inflate ran last (for tests): into the caller's buffer, or through `inflateSync`. */
  lastPath: 'direct' | 'fallback' = 'direct';

  /**
   * Inflate `input`, whose output must be exactly `expected` bytes, into `output` when it has room for one byte
   * more (see {@link INFLATE_SLACK}). Returns the inflated bytes: a view of `output`, or a new buffer when the fast
   * path could not be used. A stream that is corrupt, ends early, lacks its adler32 trailer or inflates to another
   * size is an {@link Hdf5FormatError}.
   */
  inflate(input: Uint8Array, expected: number, output?: Uint8Array): Uint8Array {
    if (output && output.length >= expected + INFLATE_SLACK) {
      const produced = this.direct(input, output.subarray(0, expected + INFLATE_SLACK));
      if (produced === expected) {
        this.lastPath = 'direct';
        return output.subarray(0, expected);
      }
    }
    this.lastPath = 'fallback';
    let inflated: Uint8Array;
    try {
      // One byte over the expected size is enough to tell a stream that inflates to too much, without inflating it all.
      inflated = inflateSync(input, {
        chunkSize: Math.max(64, expected + 64),
        maxOutputLength: expected + INFLATE_SLACK,
      });
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (code.startsWith('Z_') || code === 'ERR_BUFFER_TOO_LARGE') {
        throw new Hdf5FormatError(
          code === 'ERR_BUFFER_TOO_LARGE'
            ? `deflate stream inflates to more than the ${expected} bytes of a chunk`
            : `deflate stream is damaged (${(error as Error).message})`,
        );
      }
      throw error;
    }
    if (inflated.length !== expected)
      throw new Hdf5FormatError(`deflate stream inflates to ${inflated.length} bytes, the chunk holds ${expected}`);
    return inflated;
  }

  /**
   * Inflate a stream of `total` stored bytes that `read` gives piece by piece (at most `piece.length` at a time, into
   * `piece`), into `output`, which must hold exactly `expected` bytes and has room for {@link INFLATE_SLACK} more.
   * Returns the inflated bytes (a view of `output`), or null when this path cannot tell the stream is whole and
   * right: the caller then reads it whole and calls {@link inflate}, which says what is wrong with it. The stored
   * bytes of a chunk are then never held whole: a 14 MB compressed chunk passes through a 1 MiB buffer.
   */
  inflatePieces(
    total: number,
    expected: number,
    output: Uint8Array,
    piece: Uint8Array,
    read: PieceReader,
  ): Uint8Array | null {
    if (output.length < expected + INFLATE_SLACK || piece.length === 0) return null;
    if (!this.stream.reset()) return null;
    const room = output.subarray(0, expected + INFLATE_SLACK);
    let written = 0;
    for (let offset = 0; offset < total;) {
      const length = Math.min(piece.length, total - offset);
      const input = read(offset, length, piece).subarray(0, length);
      offset += length;
      const flush = offset === total ? zlib.constants.Z_FINISH : zlib.constants.Z_NO_FLUSH;
      const state = this.stream.write(flush, input, room, written);
      if (!state) return null;
      written = room.length - state.availableOut;
      // Input left over: the stream ended early, or the output is full (it inflates to too much).
      if (state.availableIn !== 0) return null;
    }
    if (written !== expected) return null;
    this.lastPath = 'direct';
    return output.subarray(0, expected);
  }

  /**
   * Bytes produced by one whole-stream inflate into `output`, or -1 when this path cannot tell it succeeded. With
   * room left in `output`, zlib only stops without an error once the stream has ended and its adler32 trailer
   * matched: a stream cut short, even exactly at the end of the data, is reported by Node as an error here.
   */
  private direct(input: Uint8Array, output: Uint8Array): number {
    if (!this.stream.reset()) return -1;
    const state = this.stream.write(zlib.constants.Z_FINISH, input, output);
    // Every input byte consumed and the output exactly full: the stream ended where the chunk says it does.
    if (!state || state.availableIn !== 0) return -1;
    return output.length - state.availableOut;
  }
}
