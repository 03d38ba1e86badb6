import zlib, { deflateSync } from 'node:zlib';
import { DrivenStream } from './zlib-handle.js';

/**
 * zlib deflate into a buffer the caller owns, with one zlib stream reset between chunks. `deflateSync` sets up a new
 * stream (about 270 KB of zlib state, its hash table cleared) and a new output buffer the size of the input for
 * every chunk; a 30 m frame has about 3,300 chunks per encoder thread, and those buffers are what the thread's
 * garbage collector spends its time on. The output is the same bytes: a reset stream deflates as a new one does.
 *
 * The stream is driven through zlib-handle.ts; where that cannot be (another Node) or a call cannot be vouched for,
 * `deflateSync` gives the result. Measured packaging the 30 m benchmark frame (2 cores, runs interleaved with the
 * build before): each encoder thread's garbage collection took 0.05 s instead of 0.45 s; 0.2–1.1 s less wall time
 * and 1–2 fewer CPU-seconds in each of 3 pairs.
 */

/** zlib's compressBound: the most a deflate stream of `n` bytes can take. */
export function deflateBound(n: number): number {
  return n + (n >>> 12) + (n >>> 14) + (n >>> 25) + 13;
}

export class Deflater {
  private readonly stream: DrivenStream;

  /** How the last chunk was deflated (for tests): into the caller's buffer, or through `deflateSync`. */
  lastPath: 'direct' | 'fallback' = 'direct';

  constructor(readonly level: number) {
    this.stream = new DrivenStream(() => zlib.createDeflate({ level }));
  }

  /**
   * Deflate `input` (a zlib stream, as HDF5's deflate filter stores it) into `output` at `at`, which must have
   * {@link deflateBound} bytes of room there. Returns the stream's length.
   */
  deflateInto(input: Uint8Array, output: Uint8Array, at: number): number {
    const room = deflateBound(input.length);
    if (output.length - at < room) throw new RangeError(`deflate output needs ${room} bytes at ${at}`);
    const produced = this.direct(input, output.subarray(at, at + room));
    if (produced >= 0) {
      this.lastPath = 'direct';
      return produced;
    }
    this.lastPath = 'fallback';
    const packed = deflateSync(input, { level: this.level });
    output.set(packed, at);
    return packed.length;
  }

  /** Bytes of one whole stream deflated into `output`, or -1 when this path cannot tell it finished. */
  private direct(input: Uint8Array, output: Uint8Array): number {
    if (!this.stream.reset()) return -1;
    const state = this.stream.write(zlib.constants.Z_FINISH, input, output);
    // With room to spare and every input byte taken, Z_FINISH has written the whole stream and its trailer.
    if (!state || state.availableIn !== 0 || state.availableOut === 0) return -1;
    return output.length - state.availableOut;
  }
}
