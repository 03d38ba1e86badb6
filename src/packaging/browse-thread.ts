import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { browseImage } from './browse.js';
import { MergedDirectory } from './layers.js';

const WORKER_URL = new URL('./browse-worker.js', import.meta.url);

/**
 * The browse PNG, made on a thread of its own from the start of packaging: it then uses the core the imaging
 * geometry cube leaves idle instead of adding its 0.6 s (30 m frame) after the netCDF. Without the built worker
 * script (tests from the sources) it is made here, when asked for.
 */
export interface BackgroundBrowse {
  /** The PNG (waits for the thread). */
  take(): Promise<Buffer>;
  /** Stop the thread of a packaging that failed. */
  cancel(): void;
}

export function browseInBackground(mergedDirectory: string): BackgroundBrowse {
  if (!existsSync(fileURLToPath(WORKER_URL))) {
    return {
      take: () => {
        const merged = new MergedDirectory(mergedDirectory);
        try {
          return Promise.resolve(browseImage(merged));
        } finally {
          merged.close();
        }
      },
      cancel: () => undefined,
    };
  }
  const worker = new Worker(WORKER_URL, { workerData: mergedDirectory });
  const result = new Promise<Buffer>((resolve, reject) => {
    worker.once('message', (message: { png?: Uint8Array; error?: string }) => {
      if (message.png) resolve(Buffer.from(message.png.buffer, message.png.byteOffset, message.png.byteLength));
      else reject(new Error(`browse image: ${message.error ?? 'no image'}`));
    });
    worker.once('error', (error) => reject(new Error(`browse image thread failed: ${error.message}`)));
    worker.once('exit', (code) => reject(new Error(`browse image thread stopped (exit ${code})`)));
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
