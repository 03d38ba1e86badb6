import { parentPort, workerData } from 'node:worker_threads';
import { browseImage } from './browse.js';
import { MergedDirectory } from './layers.js';

/** Makes the browse PNG of a merged/ directory on its own thread (see browse-thread.ts). */
const port = parentPort;
if (!port) throw new Error('the browse worker must run in a worker thread');

const merged = new MergedDirectory(workerData as string);
try {
  const png = browseImage(merged);
  port.postMessage({ png }, [png.buffer as ArrayBuffer]);
} catch (error) {
  port.postMessage({ error: error instanceof Error ? error.message : String(error) });
} finally {
  merged.close();
}
