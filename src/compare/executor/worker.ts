import { parentPort } from 'node:worker_threads';
import { openSource } from '../../netcdf/sources.js';
import { TaskRunner } from '../task-runner.js';
import type { FromWorker, ToWorker } from './types.js';

/** A comparison worker: one TaskRunner fed with tasks until `finish`, then its totals. */
const port = parentPort;
if (!port) throw new Error('comparison worker must run in a worker thread');
let runner: TaskRunner | null = null;
let queue: Promise<void> = Promise.resolve();

const send = (message: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'init') {
    runner = new TaskRunner(message.layers, openSource);
  } else if (message.type === 'task') {
    const outcome = await runner!.run(message.task);
    send({ type: 'outcome', outcome }, outcome.previews.flatMap((p) => [p.diff.buffer as ArrayBuffer, p.mismatch.buffer as ArrayBuffer]));
  } else {
    const totals = runner!.totals();
    await runner!.close();
    send({ type: 'totals', totals }, totals.map((t) => t.histogram.buffer as ArrayBuffer));
  }
}

port.on('message', (message: ToWorker) => {
  queue = queue
    .then(() => handle(message))
    .catch((error: unknown) => {
      send({ type: 'error', message: error instanceof Error ? error.message : String(error), name: error instanceof Error ? error.name : 'Error' });
    });
});
