import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { fetchWithRetry, HttpError, safeUrl, type HttpOptions } from './http.js';
import type { OwnedFiles } from './owned-dir.js';
import type { DownloadSource, WriteIntent } from './owned-manifest.js';
import { fetchRanges, MIN_PART_BYTES, PARTS_SUFFIX, RangesNotSupported, savedProgress } from './ranged-download.js';

/**
 * Downloading a (possibly multi-GB) file so that nothing incomplete ever carries the final name: bytes go to
 * `<file>.gunw-partial`, which a later attempt continues with a Range request, and the file is renamed only when it
 * is known to be complete: its expected size, the server's Content-Length, or a SHA-256 the caller knows. A body of
 * unknown length that simply stops cannot be told from a complete one, so it is refused, with the way out (a
 * checksum) named. (A chunked body is no proof either: Node's fetch accepts one cut before its last chunk when the
 * server also sends `Connection: close`, as test/io/download.test.ts shows.)
 *
 * A partial file is continued only when it is certainly this download's: the project made it (recorded in the
 * directory's manifest, or beside it in `<file>.gunw-resume`), from the same URL, and the server confirms the object
 * has not changed since (the recorded ETag or Last-Modified sent as If-Range; an answer with the whole file starts
 * over). A complete file already there is reused only when its checksum matches, or when the project downloaded it
 * and the server says it is still current (a conditional request); otherwise it is fetched again, where the project
 * may replace it.
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
  /** What the download is part of, and whether an earlier run's download may be replaced (default: a download). */
  readonly intent?: WriteIntent;
  /**
   * The URL names content that never changes (a Sentinel-1 granule, an orbit file): a complete download the project
   * recorded from it is reused without asking the server again.
   */
  readonly immutable?: boolean;
}

export interface Downloaded {
  readonly path: string;
  readonly bytes: number;
  /** The file was already complete and nothing was fetched. */
  readonly reused: boolean;
}

export const PARTIAL_SUFFIX = '.gunw-partial';
/** Beside a partial file: where its bytes came from, to continue it only from the same unchanged object. */
export const RESUME_SUFFIX = '.gunw-resume';
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

const DOWNLOAD_INTENT: WriteIntent = { set: 'download' };

/** The server's validators of an answer: what a later request names to ask whether the object changed. */
function validatorsOf(response: Response): { etag: string | null; lastModified: string | null } {
  const etag = response.headers.get('etag');
  const lastModified = response.headers.get('last-modified');
  // Weak ETags do not promise identical bytes, which continuing a partial file needs.
  return { etag: etag && !etag.startsWith('W/') ? etag : null, lastModified };
}

const resumeRecord = z.object({
  writtenBy: z.literal('dockerized-topsapp'),
  url: z.string(),
  size: z.number().int().nonnegative().nullable(),
  etag: z.string().nullable(),
  lastModified: z.string().nullable(),
});
type ResumeRecord = z.infer<typeof resumeRecord>;

function readResumeRecord(path: string): ResumeRecord | null {
  try {
    return resumeRecord.parse(JSON.parse(readFileSync(`${path}${RESUME_SUFFIX}`, 'utf8')));
  } catch {
    return null;
  }
}

/**
 * Whether an existing file at `path` is the wanted one: shown by its checksum, or downloaded by the project from
 * this URL (in this run, or earlier and still current by the server's word).
 */
async function reusable(url: string, path: string, options: DownloadOptions): Promise<boolean> {
  if (!existsSync(path)) return false;
  const expected = options.bytes ?? null;
  if (expected !== null && sizeOf(path) !== expected) return false;
  if (options.sha256) return (await sha256Of(path)) === options.sha256;
  const ours = options.owned?.downloadOf(ownedName(options.owned, path));
  if (!ours?.source || ours.source.url !== safeUrl(url)) return false;
  if (ours.thisRun || options.immutable) return true;
  const { etag, lastModified } = ours.source;
  if (!etag && !lastModified) return false;
  const headers: Record<string, string> = { ...options.headers };
  if (etag) headers['If-None-Match'] = etag;
  else headers['If-Modified-Since'] = lastModified!;
  const response = await openResponse(url, headers, options);
  await response.body?.cancel();
  return response.status === 304;
}

/**
 * The partial file of an earlier attempt, if it may be continued: the project's, from this URL, of this size, with
 * a validator to confirm the object is unchanged. Anything else of the project's is removed; a partial file the
 * project did not make is never touched.
 */
function continuablePartial(url: string, path: string, partial: string, options: DownloadOptions): ResumeRecord | null {
  const record = readResumeRecord(path);
  const progressFile = `${path}${PARTS_SUFFIX}`;
  const owned = options.owned;
  const ours = (file: string): boolean => (owned ? owned.isTemporary(ownedName(owned, file)) : record !== null);
  for (const file of [partial, progressFile])
    if (existsSync(file) && !ours(file))
      throw new UsageError(
        `${file} is there and gunw did not write it, so it cannot be continued; move it away (or delete it) and run again`,
      );
  const expected = options.bytes ?? null;
  const usable =
    record !== null &&
    record.url === safeUrl(url) &&
    (record.etag !== null || record.lastModified !== null) &&
    (expected === null || record.size === null || record.size === expected) &&
    existsSync(partial);
  if (usable) return record;
  discardPartial(path, owned);
  return null;
}

/** Remove the partial file of `path` and what describes it (all the project's own). */
function discardPartial(path: string, owned: OwnedFiles | undefined): void {
  for (const suffix of [PARTIAL_SUFFIX, PARTS_SUFFIX, RESUME_SUFFIX]) {
    rmSync(`${path}${suffix}`, { force: true });
    if (owned) owned.dropTemporary(ownedName(owned, `${path}${suffix}`));
  }
}

export async function downloadFile(url: string, path: string, options: DownloadOptions = {}): Promise<Downloaded> {
  const service = options.service ?? 'download';
  const intent = options.intent ?? DOWNLOAD_INTENT;
  if (await reusable(url, path, options)) return { path, bytes: sizeOf(path), reused: true };
  // Claiming refuses a file that is there and that this run may not replace: it is never replaced.
  if (options.owned) options.owned.claim(ownedName(options.owned, path), intent);
  else if (existsSync(path))
    throw new UsageError(`${path} is there already and does not match what ${service} expects; move it away`);
  const expected = options.bytes ?? null;
  const partial = `${path}${PARTIAL_SUFFIX}`;
  const progressFile = `${path}${PARTS_SUFFIX}`;
  const earlier = continuablePartial(url, path, partial, options);
  // Every name the download makes is recorded before it is made, and kept for a later run to continue.
  if (options.owned)
    for (const file of [partial, progressFile, `${path}${RESUME_SUFFIX}`])
      options.owned.recordTemporary(ownedName(options.owned, file), true);
  const tracker = new SourceTracker(url, path, expected, earlier);
  // A partial file that ranges were written into is continued by ranges (or, if unusable now, started again).
  const saved = earlier ? savedProgress(progressFile, partial, expected) : null;
  let offset = earlier ? sizeOf(partial) : 0;
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
          open: async (headers) => {
            const response = await openResponse(url, { ...options.headers, ...headers, ...tracker.ifRange() }, options);
            if (response.status === 206) tracker.answered(response, saved === null && offset === 0);
            return response;
          },
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        },
        saved,
        offset,
      );
      return await finish(url, path, partial, expected, options, tracker);
    } catch (error) {
      // The server sends whole files only (or the object changed): continue as one stream from what can be kept.
      if (!(error instanceof RangesNotSupported)) throw error;
      offset = sizeOf(partial);
    }
  }
  const headers: Record<string, string> = { ...options.headers };
  if (offset > 0) Object.assign(headers, { Range: `bytes=${offset}-` }, tracker.ifRange());
  const response = await openResponse(url, headers, options);
  // The whole file was already there: a killed run had not renamed it yet.
  if (response.status === 416 && earlier && expected !== null && offset === expected) {
    await response.body?.cancel();
    return finish(url, path, partial, expected, options, tracker);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new HttpError(response.status, `${service} of ${safeUrl(url)} failed: HTTP ${response.status}`);
  }
  // Continued only where the server sends exactly the rest of the same object; otherwise it starts over.
  const append = offset > 0 && response.status === 206 && tracker.continues(response, offset);
  if (!append) {
    offset = 0;
    rmSync(progressFile, { force: true });
  }
  tracker.answered(response, !append);
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
    discardPartial(path, options.owned);
    throw new HttpError(
      0,
      `${service} of ${safeUrl(url)}: the server gave no length, so a cut-off download cannot be told from a complete one; record the file's sha256 to download it`,
    );
  }
  return finish(url, path, partial, size, options, tracker);
}

/**
 * Where the bytes of the partial file come from: the URL (without credentials or query) and the server's
 * validators, kept beside it in `<file>.gunw-resume` as soon as the first answer arrives, and in the manifest once
 * the file is complete.
 */
class SourceTracker {
  private record: ResumeRecord | null;

  constructor(
    private readonly url: string,
    private readonly path: string,
    private readonly size: number | null,
    earlier: ResumeRecord | null,
  ) {
    this.record = earlier;
  }

  /** The header that makes a range request conditional on the object being the one the partial file holds. */
  ifRange(): Record<string, string> {
    const validator = this.record?.etag ?? this.record?.lastModified;
    return validator ? { 'If-Range': validator } : {};
  }

  /** Whether a 206 answer continues the partial file: the range asked for, of the same object. */
  continues(response: Response, offset: number): boolean {
    const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
    if (!match || Number(match[1]) !== offset) return false;
    if (this.size !== null && match[3] !== '*' && Number(match[3]) !== this.size) return false;
    return this.sameObject(response);
  }

  private sameObject(response: Response): boolean {
    const { etag, lastModified } = validatorsOf(response);
    if (this.record?.etag && etag) return etag === this.record.etag;
    if (this.record?.lastModified && lastModified) return lastModified === this.record.lastModified;
    return true;
  }

  /** An answer arrived: a fresh start records its validators; a continuation must be of the same object. */
  answered(response: Response, fresh: boolean): void {
    if (!fresh) {
      if (!this.sameObject(response))
        throw new RangesNotSupported(`${safeUrl(this.url)} changed since the partial file was written`);
      return;
    }
    this.record = {
      writtenBy: 'dockerized-topsapp',
      url: safeUrl(this.url),
      size: this.size,
      ...validatorsOf(response),
    };
    writeFileAtomic(`${this.path}${RESUME_SUFFIX}`, `${JSON.stringify(this.record)}\n`, '.gunw-partial');
  }

  get source(): DownloadSource {
    return { url: safeUrl(this.url), etag: this.record?.etag ?? null, lastModified: this.record?.lastModified ?? null };
  }
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
  tracker: SourceTracker,
): Promise<Downloaded> {
  if (options.sha256) {
    const actual = await sha256Of(partial);
    if (actual !== options.sha256) {
      discardPartial(path, options.owned);
      throw new HttpError(
        0,
        `${options.service ?? 'download'} of ${safeUrl(url)}: SHA-256 ${actual}, expected ${options.sha256}`,
      );
    }
  }
  renameSync(partial, path);
  rmSync(`${path}${RESUME_SUFFIX}`, { force: true });
  const owned = options.owned;
  if (owned) {
    owned.recordDownloaded((options.intent ?? DOWNLOAD_INTENT).set, ownedName(owned, path), tracker.source);
    for (const suffix of [PARTIAL_SUFFIX, PARTS_SUFFIX, RESUME_SUFFIX])
      owned.dropTemporary(ownedName(owned, `${path}${suffix}`));
  }
  return { path, bytes: size, reused: false };
}
