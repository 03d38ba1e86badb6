import { Worker } from 'node:worker_threads';
import { InternalError } from '../../errors.js';
import { decodeError } from '../../threads/error-codec.js';
import { builtWorkerScript } from '../../threads/worker-script.js';
import type { LayerTotals, Task } from '../tasks.js';
import { runTasksHere } from './inline.js';
import { TaskQueue } from './task-queue.js';
import type { Executor, FromWorker, ToWorker } from './types.js';

const WORKER_URL = builtWorkerScript('./worker.js', import.meta.url);

export function workerScriptAvailable(): boolean {
  return WORKER_URL !== null;
}

/**
 * Runs tasks on worker threads, each with its own file handles (and h5wasm, if a variable needs it), and, with
 * `alsoHere`, in this thread too: on a machine with few cores that saves a thread's start-up and memory while this
 * thread would otherwise only wait. The threads start when the pool is made, so they boot while the main thread is
 * still reading the products' structure. Every thread takes its tasks from one shared {@link TaskQueue}.
 */
export class WorkerPool implements Executor {
  private readonly workers: Worker[];
  private used = false;

  constructor(
    size: number,
    private readonly alsoHere = false,
  ) {
    if (WORKER_URL === null) throw new InternalError('the comparison worker script is not built: run npm run build');
    const script = WORKER_URL;
    this.workers = Array.from({ length: size }, () => new Worker(script));
  }

  get size(): number {
    return this.workers.length + (this.alsoHere ? 1 : 0);
  }

  async run(
    layers: Parameters<Executor['run']>[0],
    tasks: Parameters<Executor['run']>[1],
    onOutcome: Parameters<Executor['run']>[2],
  ): Promise<LayerTotals[]> {
    if (this.used) throw new InternalError('a worker pool runs one comparison');
    this.used = true;
    const queue = new TaskQueue(tasks, this.size, (task) => task.pixels);
    const here = this.alsoHere
      ? runTasksHere(layers, () => queue.take(this.workers.length), onOutcome)
      : Promise.resolve([]);
    try {
      const [inWorkers, inThisThread] = await Promise.all([this.runWorkers(layers, tasks, queue, onOutcome), here]);
      return [...inWorkers, ...inThisThread];
    } catch (error) {
      queue.stop();
      this.close();
      throw error;
    }
  }

  private runWorkers(
    layers: Parameters<Executor['run']>[0],
    tasks: readonly Task[],
    queue: TaskQueue<Task>,
    onOutcome: Parameters<Executor['run']>[2],
  ): Promise<LayerTotals[]> {
    const workers = this.workers;
    if (workers.length === 0) return Promise.resolve([]);
    return new Promise<LayerTotals[]>((resolve, reject) => {
      const totals: LayerTotals[] = [];
      let finished = 0;
      let failed = false;
      const stop = (error: Error): void => {
        if (failed) return;
        failed = true;
        queue.stop();
        this.close();
        reject(error);
      };
      workers.forEach((worker, slot) => {
        worker.on('message', (message: FromWorker) => {
          if (failed) return;
          if (message.type === 'outcome') {
            onOutcome(message.outcome);
          } else if (message.type === 'totals') {
            totals.push(...message.totals);
            void worker.terminate();
            if (++finished === workers.length) resolve(totals);
          } else {
            stop(decodeError(message.error));
          }
        });
        worker.on('error', (error) => stop(new InternalError(`comparison worker failed: ${error.message}`)));
        const start: ToWorker = { type: 'run', layers, tasks, queue: queue.shared, slot };
        worker.postMessage(start);
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
