/**
 * Big byte buffers handed out and given back, so reading one chunk after another reuses the same few buffers
 * instead of allocating (and later garbage-collecting) a chunk-sized buffer per chunk. One pool per thread: a
 * module instance is per thread. Buffers are 8-byte aligned, so any typed view fits them.
 */
export class BufferPool {
  private readonly free: Uint8Array[] = [];

  constructor(private readonly keep = 4) {}

  /** A buffer of at least `size` bytes (its contents are whatever was there). */
  take(size: number): Uint8Array {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const length = this.free[i]!.length;
      if (length >= size && (best < 0 || length < this.free[best]!.length)) best = i;
    }
    if (best >= 0) return this.free.splice(best, 1)[0]!;
    return new Uint8Array(new ArrayBuffer(size));
  }

  /**
   * A buffer of exactly `size` bytes that is all of its ArrayBuffer, so it can be moved to another thread whole
   * (slabs lent to a source and handed to an encoder thread).
   */
  takeWhole(size: number): Uint8Array {
    const at = this.free.findIndex((b) => b.length === size && b.byteOffset === 0 && b.buffer.byteLength === size);
    if (at >= 0) return this.free.splice(at, 1)[0]!;
    return new Uint8Array(new ArrayBuffer(size));
  }

  /** Give a buffer back; beyond `keep` free buffers, the smallest are dropped to the garbage collector. */
  give(buffer: Uint8Array): void {
    if (this.free.includes(buffer)) return;
    this.free.push(buffer);
    if (this.free.length > this.keep) {
      this.free.sort((a, b) => b.length - a.length);
      this.free.length = this.keep;
    }
  }

  get freeBytes(): number {
    return this.free.reduce((n, b) => n + b.length, 0);
  }
}
