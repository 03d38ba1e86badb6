import { openSource } from '../../netcdf/sources.js';
import { TaskRunner } from '../task-runner.js';
import type { LayerTotals, Task } from '../tasks.js';
import type { Executor } from './types.js';

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Run tasks in this thread as `next` hands them out (until it has none, or `stopped()`), yielding to the event loop
 * between tasks so that worker threads running alongside keep being fed. Returns this thread's layer totals.
 */
export async function runTasksHere(
  layers: Parameters<Executor['run']>[0],
  next: () => Task | undefined,
  onOutcome: Parameters<Executor['run']>[2],
  stopped: () => boolean = () => false,
): Promise<LayerTotals[]> {
  const runner = new TaskRunner(layers, openSource);
  try {
    for (let task = next(); task && !stopped(); task = next()) {
      onOutcome(await runner.run(task));
      await yieldToEventLoop();
    }
    return runner.totals();
  } finally {
    await runner.close();
  }
}

/**
 * Runs tasks in the calling thread: small products, in-memory products, `--workers 0`, and variables only h5wasm can
 * read.
 */
export const inlineExecutor: Executor = {
  run(layers, tasks, onOutcome) {
    let i = 0;
    return runTasksHere(layers, () => tasks[i++], onOutcome);
  },
};
