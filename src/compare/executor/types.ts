import type { EncodedError } from '../../threads/error-codec.js';
import type { LayerJob, LayerTotals, Task, TaskOutcome } from '../tasks.js';

/** Runs the tasks of one comparison and returns every thread's layer totals. */
export interface Executor {
  run(
    layers: readonly LayerJob[],
    tasks: readonly Task[],
    onOutcome: (outcome: TaskOutcome) => void,
  ): Promise<LayerTotals[]>;
}

/** Messages between the main thread and a comparison worker. */
export interface ToWorker {
  readonly type: 'run';
  readonly layers: readonly LayerJob[];
  readonly tasks: readonly Task[];
  /** The shared state of the comparison's TaskQueue, and which of its stretches is this worker's. */
  readonly queue: SharedArrayBuffer;
  readonly slot: number;
}

export type FromWorker =
  | { readonly type: 'outcome'; readonly outcome: TaskOutcome }
  | { readonly type: 'totals'; readonly totals: LayerTotals[] }
  | { readonly type: 'error'; readonly error: EncodedError };
