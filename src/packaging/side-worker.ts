import { parentPort, workerData } from 'node:worker_threads';
import { encodeError } from '../threads/error-codec.js';
import { movable } from '../threads/transfer.js';
import { sideWork } from './side-thread.js';
import { MergedDirectory } from './layers.js';

/** Does the side work of packaging a merged/ directory on its own thread (see side-thread.ts). */
const port = parentPort;
if (!port) throw new Error('the packaging side worker must run in a worker thread');

let merged: MergedDirectory | null = null;
try {
  merged = new MergedDirectory(workerData as string);
  const result = sideWork(merged);
  const png = movable(result.png);
  port.postMessage({ ...result, png }, [png.buffer as ArrayBuffer]);
} catch (error) {
  // With its kind, so a damaged merged/ file exits as bad input here too, as it does without the thread.
  port.postMessage({ error: encodeError(error) });
} finally {
  merged?.close();
}
