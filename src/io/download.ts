import { createWriteStream, existsSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { fetchWithRetry, HttpError, safeUrl, type HttpOptions } from './http.js';

/**
 * Downloading a (possibly multi-GB) file so that nothing half-written ever carries the final name: bytes go to
 * `<file>.partial`, which a later attempt continues with a Range request, and the file is renamed only when the
 * expected size (when known) has arrived.
 */

export interface DownloadOptions extends HttpOptions {
  /** Expected size in bytes; a mismatch fails the download and keeps the partial file for a retry. */
  readonly bytes?: number | null;
  /** Request headers (e.g. a cookie); never logged. */
  readonly headers?: Record<string, string>;
  /** Called with the byte count as data arrives. */
  readonly onProgress?: (received: number, total: number | null) => void;
  /** Follow redirects manually with this function instead of fetch's own (see earthdata.ts). */
  readonly open?: (url: string, headers: Record<string, string>) => Promise<Response>;
}

export interface Downloaded {
  readonly path: string;
  readonly bytes: number;
  /** The file was already complete and nothing was fetched. */
  readonly reused: boolean;
}

function sizeOf(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

export async function downloadFile(url: string, path: string, options: DownloadOptions = {}): Promise<Downloaded> {
  const expected = options.bytes ?? null;
  if (existsSync(path) && (expected === null || sizeOf(path) === expected)) return { path, bytes: sizeOf(path), reused: true };
  const partial = `${path}.partial`;
  let offset = sizeOf(partial);
  if (expected !== null && offset > expected) {
    unlinkSync(partial);
    offset = 0;
  }
  const headers: Record<string, string> = { ...options.headers };
  if (offset > 0) headers.Range = `bytes=${offset}-`;
  const response = options.open
    ? await options.open(url, headers)
    : await fetchWithRetry(url, { headers }, { ...options, timeoutMs: options.timeoutMs ?? 120_000 });
  if (response.status === 416 && expected !== null && offset === expected) {
    renameSync(partial, path);
    return { path, bytes: expected, reused: false };
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new HttpError(response.status, `${options.service ?? 'download'} of ${safeUrl(url)} failed: HTTP ${response.status}`);
  }
  const append = offset > 0 && response.status === 206;
  if (!append) offset = 0;
  const lengthHeader = Number(response.headers.get('content-length'));
  const total = expected ?? (Number.isFinite(lengthHeader) && lengthHeader > 0 ? offset + lengthHeader : null);
  let received = offset;
  const counted = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  counted.on('data', (chunk: Buffer) => {
    received += chunk.length;
    options.onProgress?.(received, total);
  });
  await pipeline(counted, createWriteStream(partial, { flags: append ? 'a' : 'w' }));
  const size = sizeOf(partial);
  if (total !== null && size !== total) {
    throw new HttpError(0, `${options.service ?? 'download'} of ${safeUrl(url)} stopped at ${size} of ${total} bytes; run again to continue`);
  }
  renameSync(partial, path);
  return { path, bytes: size, reused: false };
}
