import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InternalError, UsageError } from '../../errors.js';
import type { LayerTotals, Task } from '../tasks.js';
import { runTasksHere } from './inline.js';
import type { Executor, FromWorker, ToWorker } from './types.js';

const WORKER_URL = new URL('./worker.js', import.meta.url);

export function workerScriptAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER_URL));
}

/** Errors cross the thread boundary as name + message; rebuild the kind that decides the exit code. */
function rebuild(name: string, message: string): Error {
  if (name === 'ProductReadError' || name === 'UsageError' || name === 'ValidationError') return new UsageError(message);
  if (name === 'InternalError') return new InternalError(message);
  const error = new Error(message);
  error.name = name;
  return error;
}

/**
 * Hands out tasks so that each worker walks its own contiguous stretch of the task list (neighbouring regions, so
 * chunks a worker decodes for one region are still cached for the next), and a worker that runs dry takes work
 * from the far end of the longest remaining stretch.
 */
export class TaskQueue<T> {
  private readonly segments: { next: number; end: number }[];

  constructor(
    private readonly items: readonly T[],
    workers: number,
  ) {
    this.segments = Array.from({ length: workers }, (_, i) => ({
      next: Math.floor((i * items.length) / workers),
      end: Math.floor(((i + 1) * items.length) / workers),
    }));
  }

  take(worker: number): T | undefined {
    const own = this.segments[worker]!;
    if (own.next < own.end) return this.items[own.next++];
    let longest = own;
    for (const segment of this.segments) if (segment.end - segment.next > longest.end - longest.next) longest = segment;
    if (longest.next >= longest.end) return undefined;
    longest.end--;
    return this.items[longest.end];
  }
}

/**
 * Runs tasks on worker threads, each with its own file handles (and h5wasm, if a variable needs it), and, with
 * `alsoHere`, in this thread too: on a machine with few cores that saves a thread's start-up and memory while this
 * thread would otherwise only wait. The threads start when the pool is made, so they boot while the main thread is
 * still reading the products' structure. Each worker has two tasks in flight, so it never waits for this thread to
 * hand it the next one.
 */
export class WorkerPool implements Executor {
  private readonly workers: Worker[];
  private used = false;

  constructor(
    size: number,
    private readonly alsoHere = false,
  ) {
    this.workers = Array.from({ length: size }, () => new Worker(WORKER_URL));
  }

  get size(): number {
    return this.workers.length + (this.alsoHere ? 1 : 0);
  }

  async run(layers: Parameters<Executor['run']>[0], tasks: Parameters<Executor['run']>[1], onOutcome: Parameters<Executor['run']>[2]): Promise<LayerTotals[]> {
    if (this.used) throw new InternalError('a worker pool runs one comparison');
    this.used = true;
    const queue = new TaskQueue(tasks, this.workers.length + (this.alsoHere ? 1 : 0));
    const state = { failed: false };
    const here = this.alsoHere
      ? runTasksHere(layers, () => queue.take(this.workers.length), onOutcome, () => state.failed)
      : Promise.resolve([]);
    try {
      const [inWorkers, inThisThread] = await Promise.all([this.runWorkers(layers, queue, onOutcome, state), here]);
      return [...inWorkers, ...inThisThread];
    } catch (error) {
      state.failed = true;
      this.close();
      throw error;
    }
  }

  private runWorkers(layers: Parameters<Executor['run']>[0], queue: TaskQueue<Task>, onOutcome: Parameters<Executor['run']>[2], state: { failed: boolean }): Promise<LayerTotals[]> {
    const workers = this.workers;
    if (workers.length === 0) return Promise.resolve([]);
    return new Promise<LayerTotals[]>((resolve, reject) => {
      const totals: LayerTotals[] = [];
      let finished = 0;
      const stop = (error: Error): void => {
        if (state.failed) return;
        state.failed = true;
        this.close();
        reject(error);
      };
      const post = (worker: Worker, message: ToWorker): void => worker.postMessage(message);
      const finishing = new Set<number>();
      const feed = (worker: Worker, index: number): void => {
        if (finishing.has(index)) return;
        const task = state.failed ? undefined : queue.take(index);
        if (task) post(worker, { type: 'task', task });
        else {
          finishing.add(index);
          post(worker, { type: 'finish' });
        }
      };
      workers.forEach((worker, index) => {
        worker.on('message', (message: FromWorker) => {
          if (state.failed) return;
          if (message.type === 'outcome') {
            onOutcome(message.outcome);
            feed(worker, index);
          } else if (message.type === 'totals') {
            totals.push(...message.totals);
            void worker.terminate();
            if (++finished === workers.length) resolve(totals);
          } else {
            stop(rebuild(message.name, message.message));
          }
        });
        worker.on('error', (error) => stop(new InternalError(`comparison worker failed: ${error.message}`)));
        post(worker, { type: 'init', layers });
        feed(worker, index);
        feed(worker, index);
      });
    });
  }

  /** Stop the threads (a pool that was never run, or one that failed). */
  close(): void {
    for (const worker of this.workers) void worker.terminate();
  }
}

export function poolExecutor(size: number, alsoHere = false): WorkerPool {
  return new WorkerPool(size, alsoHere);
}
