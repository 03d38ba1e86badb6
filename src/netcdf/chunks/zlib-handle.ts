/**
 * Node's zlib streams driven synchronously into buffers the caller owns. Node exposes no public "inflate or deflate
 * into this buffer" call, so this uses the handle that `inflateSync` and `deflateSync` themselves use
 * (`_handle.writeSync` with its `_writeState`), found by feature detection: where it is missing (another Node),
 * callers fall back to the public calls. Why each caller wants it is written beside it (inflate.ts, deflate.ts).
 */

interface ZlibHandle {
  writeSync(
    flush: number,
    input: Uint8Array,
    inOffset: number,
    inLength: number,
    output: Uint8Array,
    outOffset: number,
    outLength: number,
  ): void;
}

interface InternalStream {
  readonly _handle?: ZlibHandle | null;
  readonly _writeState?: Uint32Array;
  readonly destroyed: boolean;
  reset(): void;
  on(event: 'error', listener: (error: Error) => void): void;
}

/** What one call left: output and input bytes not used. */
export interface WriteState {
  readonly availableOut: number;
  readonly availableIn: number;
}

/** One zlib stream (made by `make`, again after an error), fed call by call. */
export class DrivenStream {
  private stream: InternalStream | null = null;
  private usable = true;

  constructor(private readonly make: () => unknown) {}

  /** Start a new stream (zlib's reset: same settings, state kept allocated); false where this Node has no handle. */
  reset(): boolean {
    const stream = this.handle();
    if (!stream) return false;
    stream.reset();
    return true;
  }

  /**
   * Feed `input` with `flush` into `output` from `outOffset`. Null when zlib reported an error (the stream is
   * dropped; the next reset makes a new one) or there is no stream.
   */
  write(flush: number, input: Uint8Array, output: Uint8Array, outOffset = 0): WriteState | null {
    const stream = this.stream;
    if (!stream) return null;
    try {
      stream._handle!.writeSync(flush, input, 0, input.length, output, outOffset, output.length - outOffset);
    } catch {
      this.stream = null;
      return null;
    }
    // A zlib error destroys the stream (its error event fires later, and is swallowed).
    if (stream.destroyed) {
      this.stream = null;
      return null;
    }
    const [availableOut, availableIn] = stream._writeState!;
    return { availableOut: availableOut!, availableIn: availableIn! };
  }

  private handle(): InternalStream | null {
    if (!this.usable) return null;
    if (!this.stream) {
      const stream = this.make() as InternalStream;
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
