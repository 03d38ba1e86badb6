import { openSource } from '../../netcdf/sources.js';
import { TaskRunner } from '../task-runner.js';
import type { Executor } from './types.js';

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs tasks in the calling thread: small products, in-memory products, `--workers 0`, and variables only h5wasm
 * can read. Yields to the event loop between tasks so worker threads running alongside keep being fed.
 */
export const inlineExecutor: Executor = {
  async run(layers, tasks, onOutcome) {
    const runner = new TaskRunner(layers, openSource);
    try {
      for (const task of tasks) {
        onOutcome(await runner.run(task));
        await yieldToEventLoop();
      }
      return runner.totals();
    } finally {
      await runner.close();
    }
  },
};
