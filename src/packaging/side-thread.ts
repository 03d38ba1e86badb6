import { Worker } from 'node:worker_threads';
import { decodeError, type EncodedError } from '../threads/error-codec.js';
import { builtWorkerScript } from '../threads/worker-script.js';
import { browseImage } from './browse.js';
import { lineOfSightMeans, MERGED_FILES, MergedDirectory } from './layers.js';

/**
 * The parts of packaging that need only merged/ and nothing of the netCDF: the browse PNG and the mean
 * line-of-sight angles. They run on a thread of their own from the start of packaging, on the core the imaging
 * geometry cube leaves idle, instead of adding about 1 s (30 m frame) before and after the netCDF. Without the built
 * worker script (tests from the sources) they run here, when asked for.
 */

export interface SideResult {
  readonly png: Uint8Array;
  readonly incidence: number | null;
  readonly azimuth: number | null;
}

export interface SideWork {
  /** The results (waits for the thread). */
  take(): Promise<SideResult>;
  /** Stop the thread of a packaging that failed. */
  cancel(): void;
}

const WORKER_URL = builtWorkerScript('./side-worker.js', import.meta.url);

export function sideWork(merged: MergedDirectory): SideResult {
  const los = merged.has(MERGED_FILES.lineOfSight) ? lineOfSightMeans(merged) : { incidence: null, azimuth: null };
  return { png: browseImage(merged), ...los };
}

export function sideWorkInBackground(mergedDirectory: string): SideWork {
  if (WORKER_URL === null) {
    let done: Promise<SideResult> | null = null;
    const here = (): SideResult => {
      const merged = new MergedDirectory(mergedDirectory);
      try {
        return sideWork(merged);
      } finally {
        merged.close();
      }
    };
    return {
      take: () => (done ??= Promise.resolve().then(here)),
      cancel: () => undefined,
    };
  }
  const worker = new Worker(WORKER_URL, { workerData: mergedDirectory });
  const result = new Promise<SideResult>((resolve, reject) => {
    worker.once('message', (message: SideResult | { error: EncodedError }) => {
      if ('error' in message) reject(decodeError(message.error));
      else resolve(message);
    });
    worker.once('error', (error) => reject(new Error(`packaging side thread failed: ${error.message}`)));
    worker.once('exit', (code) => reject(new Error(`packaging side thread stopped (exit ${code})`)));
  });
  // A packaging that fails before it asks must not leave an unhandled rejection behind.
  result.catch(() => undefined);
  return {
    take: async () => {
      try {
        return await result;
      } finally {
        await worker.terminate();
      }
    },
    cancel: () => void worker.terminate(),
  };
}
