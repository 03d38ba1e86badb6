import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { copyOf, movable } from '../../threads/transfer.js';
import { builtWorkerScript } from '../../threads/worker-script.js';
import { encodeSlab, type EncodedSlab, type SlabTask } from './slab-encoding.js';

/**
 * Where slabs are encoded. Deflate is most of a product's writing time (about 15 of 22 CPU-seconds on a 30 m
 * frame), so slabs go to worker threads, one per core, while this thread reads the next ones; the writer takes the
 * results back in order. Without the built worker script (tests run from the TypeScript sources) slabs are encoded
 * in this thread.
 */
export interface SlabEncoder {
  /** How many slabs may be waiting at once to keep every thread busy. */
  readonly window: number;
  /**
   * With `owned`, the task's slab memory is the encoder's until the slab is encoded (it may be moved to another
   * thread); it comes back as `slab`, for the caller to use again.
   */
  encode(owned: boolean, task: SlabTask): Promise<EncodedSlabAndMemory>;
  /** The `bytes` of an encoded slab, written out: the encoder may use their memory again. */
  recycle(bytes: Uint8Array): void;
  close(): Promise<void>;
}

export interface ToEncoder {
  readonly id: number;
  readonly task: SlabTask;
  /** A buffer of stored chunks written out, for the thread to write this slab's into (see SlabEncoder.recycle). */
  readonly output?: Uint8Array;
}

/** An encoded slab and the slab's memory, free again. */
export interface EncodedSlabAndMemory extends EncodedSlab {
  readonly slab: Uint8Array;
}

export type FromEncoder =
  | { readonly id: number; readonly bytes: Uint8Array; readonly sizes: number[]; readonly slab: Uint8Array }
  | { readonly id: number; readonly error: string };

const WORKER_URL = builtWorkerScript('./encode-worker.js', import.meta.url);

/**
 * An encoder thread's own JavaScript heap holds a few small objects (slabs and chunks are ArrayBuffers outside it),
 * but with V8's default limits it collects the dead wrappers of those buffers late, and their memory with them.
 * A small old generation makes it collect them as it goes. Measured packaging the 30 m benchmark frame (2 cores,
 * 2026-12-07): peak RSS 525–582 MB and 22.1–23.6 s by default, 464 MB and 20.1 s with a 64 MB old generation (a
 * larger young generation or a 128 MB old one did not help).
 */
const ENCODER_LIMITS = { maxOldGenerationSizeMb: 64 };

/** Encodes in this thread, one slab at a time. */
export function inlineEncoder(): SlabEncoder {
  return {
    window: 1,
    encode: (_owned, task) => Promise.resolve({ ...encodeSlab(task), slab: task.slab }),
    recycle: () => undefined,
    close: () => Promise.resolve(),
  };
}

class WorkerEncoder implements SlabEncoder {
  private readonly workers: { worker: Worker; busy: number }[];
  private readonly waiting = new Map<
    number,
    { resolve: (e: EncodedSlabAndMemory) => void; reject: (e: Error) => void }
  >();
  private nextId = 0;
  private failure: Error | null = null;
  /** Written-out output buffers (whole ArrayBuffers the threads sent), for the next slabs. */
  private readonly spare: ArrayBuffer[] = [];

  constructor(size: number, script: URL) {
    this.workers = Array.from({ length: size }, () => {
      const slot = { worker: new Worker(script, { resourceLimits: ENCODER_LIMITS }), busy: 0 };
      slot.worker.on('message', (message: FromEncoder) => {
        slot.busy--;
        const waiter = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        if ('error' in message) waiter?.reject(new Error(`chunk encoding failed: ${message.error}`));
        else waiter?.resolve({ bytes: message.bytes, sizes: message.sizes, slab: message.slab });
      });
      slot.worker.on('error', (error) => this.fail(new Error(`chunk encoder thread failed: ${error.message}`)));
      return slot;
    });
  }

  /** One slab waiting beyond one per thread: enough to keep them busy, and memory stays under 500 MB at 30 m. */
  get window(): number {
    return this.workers.length + 1;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }

  encode(owned: boolean, task: SlabTask): Promise<EncodedSlabAndMemory> {
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    // A slab its source may keep using is copied; an owned one is moved unless it is a view or pooled.
    const slab = owned ? movable(task.slab) : copyOf(task.slab);
    const spare = this.spare.pop();
    return new Promise<EncodedSlabAndMemory>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      slot.busy++;
      const output = spare ? new Uint8Array(spare) : undefined;
      const message: ToEncoder = { id, task: { ...task, slab }, ...(output ? { output } : {}) };
      slot.worker.postMessage(message, spare ? [slab.buffer as ArrayBuffer, spare] : [slab.buffer as ArrayBuffer]);
    });
  }

  // Measured packaging the 30 m benchmark frame: without it each slab's stored chunks were a new 7 MB buffer, peak
  // RSS 378–390 MB; with it 342–349 MB, in the same time. (The main thread's full garbage collections, about 46 a
  // run, are not these buffers': they stayed.)
  recycle(bytes: Uint8Array): void {
    // Only what a thread sent (all of an ArrayBuffer this side holds), and no more than the threads can use at once.
    if (bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && this.spare.length <= this.window)
      this.spare.push(bytes.buffer);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }
}

/** Worker threads, one per core (at least two), when the built worker script is there; otherwise this thread. */
export function slabEncoder(threads = Math.max(2, availableParallelism())): SlabEncoder {
  if (threads < 1 || WORKER_URL === null) return inlineEncoder();
  return new WorkerEncoder(threads, WORKER_URL);
}
