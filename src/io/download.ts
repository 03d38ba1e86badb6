import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { UsageError } from '../errors.js';
import { fetchWithRetry, HttpError, safeUrl, type HttpOptions } from './http.js';
import type { OwnedFiles } from './owned-dir.js';
import { fetchRanges, MIN_PART_BYTES, PARTS_SUFFIX, RangesNotSupported, savedProgress } from './ranged-download.js';

/**
 * Downloading a (possibly multi-GB) file so that nothing incomplete ever carries the final name: bytes go to
 * `<file>.gunw-partial`, which a later attempt continues with a Range request, and the file is renamed only when it
 * is known to be complete: its expected size, the server's Content-Length, or a SHA-256 the caller knows. A body of
 * unknown length that simply stops cannot be told from a complete one, so it is refused, with the way out (a
 * checksum) named. (A chunked body is no proof either: Node's fetch accepts one cut before its last chunk when the
 * server also sends `Connection: close`, as test/io/download.test.ts shows.)
 */

export interface DownloadOptions extends HttpOptions {
  /** Expected size in bytes; a mismatch fails the download and keeps the partial file for a retry. */
  readonly bytes?: number | null;
  /** Expected SHA-256 (hex); the file keeps its final name only when it matches. */
  readonly sha256?: string | null;
  /** Request headers (e.g. a cookie); never logged. */
  readonly headers?: Record<string, string>;
  /** Called with the byte count as data arrives. */
  readonly onProgress?: (received: number, total: number | null) => void;
  /**
   * Fetch a file of known size in this many byte ranges at once (`--download-parts`), each continued where it
   * stopped after a failure; 1 (the default) fetches it in one stream.
   */
  readonly parts?: number;
  /** Follow redirects manually with this function instead of fetch's own (see earthdata.ts). */
  readonly open?: (url: string, headers: Record<string, string>) => Promise<Response>;
  /**
   * The directory's record of what the project wrote there: an existing file is only replaced (or, when nothing
   * else can show it complete, reused) if the project wrote it.
   */
  readonly owned?: OwnedFiles;
}

export interface Downloaded {
  readonly path: string;
  readonly bytes: number;
  /** The file was already complete and nothing was fetched. */
  readonly reused: boolean;
}

export const PARTIAL_SUFFIX = '.gunw-partial';
/** A whole SLC (4-8 GB) over a slow link: the idle limit catches a stalled server long before this. */
const DOWNLOAD_DEADLINE_MS = 12 * 3600_000;

function sizeOf(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

export async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function ownedName(owned: OwnedFiles, path: string): string {
  return relative(owned.dir, path).split(sep).join('/');
}

/**
 * Whether an existing file at `path` is the wanted one: shown by size and checksum, or by having been written whole by
 * us.
 */
async function reusable(path: string, options: DownloadOptions): Promise<boolean> {
  if (!existsSync(path)) return false;
  const expected = options.bytes ?? null;
  if (expected !== null && sizeOf(path) !== expected) return false;
  if (options.sha256) return (await sha256Of(path)) === options.sha256;
  if (expected !== null) return true;
  return options.owned ? options.owned.owns(ownedName(options.owned, path)) : false;
}

export async function downloadFile(url: string, path: string, options: DownloadOptions = {}): Promise<Downloaded> {
  const service = options.service ?? 'download';
  if (await reusable(path, options)) return { path, bytes: sizeOf(path), reused: true };
  // Claiming refuses a file that is there and that the project did not write: it is never replaced.
  if (options.owned) options.owned.claim(ownedName(options.owned, path));
  else if (existsSync(path))
    throw new UsageError(`${path} is there already and does not match what ${service} expects; move it away`);
  const expected = options.bytes ?? null;
  const partial = `${path}${PARTIAL_SUFFIX}`;
  const progressFile = `${path}${PARTS_SUFFIX}`;
  // A partial file that ranges were written into is continued by ranges (or, if unusable now, started again).
  const saved = savedProgress(progressFile, partial, expected);
  let offset = sizeOf(partial);
  if (expected !== null && offset > expected) {
    rmSync(partial, { force: true });
    offset = 0;
  }
  const parts = options.parts ?? 1;
  if (expected !== null && (saved !== null || (parts > 1 && expected - offset >= 2 * MIN_PART_BYTES))) {
    try {
      await fetchRanges(
        {
          url,
          partial,
          progressFile,
          size: expected,
          parts,
          service,
          open: (headers) => openResponse(url, { ...options.headers, ...headers }, options),
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        },
        saved,
        offset,
      );
      return await finish(url, path, partial, expected, options);
    } catch (error) {
      // The server sends whole files only: continue as one stream from what can be kept.
      if (!(error instanceof RangesNotSupported)) throw error;
      offset = sizeOf(partial);
    }
  }
  const headers: Record<string, string> = { ...options.headers };
  if (offset > 0) headers.Range = `bytes=${offset}-`;
  const response = await openResponse(url, headers, options);
  if (response.status === 416 && expected !== null && offset === expected)
    return finish(url, path, partial, expected, options);
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new HttpError(response.status, `${service} of ${safeUrl(url)} failed: HTTP ${response.status}`);
  }
  const append = offset > 0 && response.status === 206;
  if (!append) offset = 0;
  const lengthHeader = Number(response.headers.get('content-length'));
  const announced =
    response.headers.get('content-length') !== null && Number.isSafeInteger(lengthHeader)
      ? offset + lengthHeader
      : null;
  if (expected !== null && announced !== null && announced !== expected) {
    await response.body.cancel();
    throw new HttpError(
      0,
      `${service} of ${safeUrl(url)}: the server announces ${announced} bytes where ${expected} were expected`,
    );
  }
  const total = expected ?? announced;
  let received = offset;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      options.onProgress?.(received, total);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
      counter,
      createWriteStream(partial, { flags: append ? 'a' : 'w' }),
    );
  } catch (error) {
    // The connection broke (or stalled past the idle limit) mid-body: what arrived stays in the partial file.
    if (error instanceof HttpError || (error instanceof Error && (error.name === 'TypeError' || 'code' in error))) {
      const reason =
        error instanceof HttpError ? error.message : ((error.cause as Error | undefined)?.message ?? error.message);
      throw new HttpError(
        0,
        `${service} of ${safeUrl(url)} broke off after ${sizeOf(partial)} bytes (${reason}); run again to continue`,
      );
    }
    throw error;
  }
  const size = sizeOf(partial);
  if (total !== null && size !== total) {
    throw new HttpError(0, `${service} of ${safeUrl(url)} stopped at ${size} of ${total} bytes; run again to continue`);
  }
  if (total === null && !options.sha256) {
    rmSync(partial, { force: true });
    throw new HttpError(
      0,
      `${service} of ${safeUrl(url)}: the server gave no length, so a cut-off download cannot be told from a complete one; record the file's sha256 to download it`,
    );
  }
  return finish(url, path, partial, size, options);
}

/** One request for `url`: through the caller's opener (Earthdata's redirects) or fetch with retries. */
function openResponse(url: string, headers: Record<string, string>, options: DownloadOptions): Promise<Response> {
  return options.open
    ? options.open(url, headers)
    : fetchWithRetry(
        url,
        { headers },
        { ...options, timeoutMs: options.timeoutMs ?? 120_000, deadlineMs: options.deadlineMs ?? DOWNLOAD_DEADLINE_MS },
      );
}

async function finish(
  url: string,
  path: string,
  partial: string,
  size: number,
  options: DownloadOptions,
): Promise<Downloaded> {
  if (options.sha256) {
    const actual = await sha256Of(partial);
    if (actual !== options.sha256) {
      rmSync(partial, { force: true });
      throw new HttpError(
        0,
        `${options.service ?? 'download'} of ${safeUrl(url)}: SHA-256 ${actual}, expected ${options.sha256}`,
      );
    }
  }
  renameSync(partial, path);
  options.owned?.recordWritten(ownedName(options.owned, path));
  return { path, bytes: size, reused: false };
}
