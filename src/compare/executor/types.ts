import type { LayerJob, LayerTotals, Task, TaskOutcome } from '../tasks.js';

/** Runs the tasks of one comparison and returns every thread's layer totals. */
export interface Executor {
  run(layers: readonly LayerJob[], tasks: readonly Task[], onOutcome: (outcome: TaskOutcome) => void): Promise<LayerTotals[]>;
}

/** Messages between the main thread and a comparison worker. */
export type ToWorker =
  | { readonly type: 'init'; readonly layers: readonly LayerJob[] }
  | { readonly type: 'task'; readonly task: Task }
  | { readonly type: 'finish' };

export type FromWorker =
  | { readonly type: 'outcome'; readonly outcome: TaskOutcome }
  | { readonly type: 'totals'; readonly totals: LayerTotals[] }
  | { readonly type: 'error'; readonly message: string; readonly name: string };
