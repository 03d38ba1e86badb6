import zlib, { inflateSync } from 'node:zlib';

/**
 * zlib inflate into a buffer the caller owns. `inflateSync` allocates a fresh output buffer per call; for a 15 MB
 * chunk that is a fresh 15 MB allocation per chunk, which both costs time (page faults) and leaves a trail of dead
 * buffers that the garbage collector frees late, so the resident size of a comparison grows with its speed.
 *
 * Node exposes no public "inflate into this buffer" call, so this drives the zlib handle that `inflateSync` itself
 * uses (`_handle.writeSync` with its `_writeState`), found by feature detection. Where that is missing (another
 * Node), where the data is corrupt, or where the output does not fit, it falls back to `inflateSync`, which gives
 * the usual result and the usual error messages.
 */

interface ZlibHandle {
  writeSync(flush: number, input: Uint8Array, inOffset: number, inLength: number, output: Uint8Array, outOffset: number, outLength: number): void;
}

interface InternalInflate {
  readonly _handle?: ZlibHandle | null;
  readonly _writeState?: Uint32Array;
  readonly destroyed: boolean;
  reset(): void;
  on(event: 'error', listener: (error: Error) => void): void;
}

export class Inflater {
  private stream: InternalInflate | null = null;
  private usable = true;

  /** How inflate ran last (for tests): into the caller's buffer, or through `inflateSync`. */
  lastPath: 'direct' | 'fallback' = 'direct';

  /**
   * Inflate `input`, whose output is `expected` bytes, into `output` when given and large enough. Returns the
   * inflated bytes: a view of `output`, or a new buffer when the fast path could not be used.
   */
  inflate(input: Uint8Array, expected: number, output?: Uint8Array): Uint8Array {
    if (output && output.length >= expected) {
      const produced = this.direct(input, output.subarray(0, expected));
      if (produced === expected) {
        this.lastPath = 'direct';
        return output.subarray(0, expected);
      }
    }
    this.lastPath = 'fallback';
    return inflateSync(input, { chunkSize: Math.max(64, expected + 64) });
  }

  /** Bytes produced by one whole-stream inflate into `output`, or -1 when this path cannot tell it succeeded. */
  private direct(input: Uint8Array, output: Uint8Array): number {
    const stream = this.handle();
    if (!stream) return -1;
    stream.reset();
    try {
      stream._handle!.writeSync(zlib.constants.Z_FINISH, input, 0, input.length, output, 0, output.length);
    } catch {
      this.stream = null;
      return -1;
    }
    // A zlib error destroys the stream (its error event fires later, and is swallowed below).
    if (stream.destroyed) {
      this.stream = null;
      return -1;
    }
    const [availableOut, availableIn] = stream._writeState!;
    // Every input byte consumed and the output exactly full: the stream ended where the chunk says it does.
    if (availableIn !== 0) return -1;
    return output.length - availableOut!;
  }

  private handle(): InternalInflate | null {
    if (!this.usable) return null;
    if (!this.stream) {
      const stream = zlib.createInflate() as unknown as InternalInflate;
      if (typeof stream._handle?.writeSync !== 'function' || !(stream._writeState instanceof Uint32Array)) {
        this.usable = false;
        return null;
      }
      stream.on('error', () => undefined);
      this.stream = stream;
    }
    return this.stream;
  }
}
