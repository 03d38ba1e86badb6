import { parentPort } from 'node:worker_threads';
import { openSource } from '../../netcdf/sources.js';
import { encodeError } from '../../threads/error-codec.js';
import { movable, transferList } from '../../threads/transfer.js';
import { TaskRunner } from '../task-runner.js';
import { TaskQueue } from './task-queue.js';
import type { FromWorker, ToWorker } from './types.js';

/** A comparison worker: takes tasks from the shared queue until none is left, then sends its totals. */
const port = parentPort;
if (!port) throw new Error('comparison worker must run in a worker thread');

const send = (message: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

async function run(message: ToWorker): Promise<void> {
  const queue = new TaskQueue(message.tasks, 0, undefined, message.queue);
  const runner = new TaskRunner(message.layers, openSource);
  try {
    for (let task = queue.take(message.slot); task; task = queue.take(message.slot)) {
      const outcome = await runner.run(task);
      const previews = outcome.previews.map((p) => ({
        ...p,
        diff: movable(p.diff),
        mismatch: movable(p.mismatch),
        labels: p.labels ? movable(p.labels) : null,
      }));
      send(
        { type: 'outcome', outcome: { ...outcome, previews } },
        transferList(previews.flatMap((p) => (p.labels ? [p.diff, p.mismatch, p.labels] : [p.diff, p.mismatch]))),
      );
    }
    const totals = runner.totals().map((t) => ({ ...t, histogram: movable(t.histogram) }));
    send({ type: 'totals', totals }, transferList(totals.map((t) => t.histogram)));
  } catch (error) {
    queue.stop();
    send({ type: 'error', error: encodeError(error) });
  } finally {
    await runner.close();
  }
}

port.once('message', (message: ToWorker) => void run(message));
