import { existsSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-write.js';
import { HttpError, safeUrl } from './http.js';

/**
 * One large file fetched as several byte ranges at once (`--download-parts`), for links where each connection is
 * capped. The ranges are written in place into the partial file, and how far each has come is kept beside it
 * (`<file>.gunw-parts`, written after the bytes it counts), so a killed run continues every range where it
 * stopped. A server that ignores ranges is noticed on the first answer, before anything is written out of order.
 */

export const PARTS_SUFFIX = '.gunw-parts';
/** Ranges smaller than this are not worth a connection of their own. */
export const MIN_PART_BYTES = 8 * 1024 * 1024;
/** How often the progress record is rewritten while ranges arrive. */
const SAVE_EVERY_MS = 1000;

const Progress = z.strictObject({
  size: z.number().int().nonnegative(),
  parts: z
    .array(
      z.strictObject({
        start: z.number().int().nonnegative(),
        end: z.number().int().nonnegative(),
        done: z.number().int().nonnegative(),
      }),
    )
    .min(1)
    .max(64),
});
export type Progress = z.infer<typeof Progress>;
type Part = Progress['parts'][number];

/** What the caller does the HTTP with: one request with the given headers. */
export type OpenRange = (headers: Record<string, string>) => Promise<Response>;

export interface RangedRequest {
  readonly url: string;
  readonly partial: string;
  /** Where the ranges' progress is kept (the final name + PARTS_SUFFIX). */
  readonly progressFile: string;
  readonly size: number;
  readonly parts: number;
  readonly service: string;
  readonly open: OpenRange;
  readonly onProgress?: (received: number, total: number) => void;
}

/** The ranges still to fetch for `size` bytes of which the first `kept` are already in the partial file. */
export function splitRanges(size: number, kept: number, parts: number): Part[] {
  const remaining = size - kept;
  const count = Math.max(1, Math.min(parts, Math.floor(remaining / MIN_PART_BYTES)));
  const step = Math.ceil(remaining / count);
  return Array.from({ length: count }, (_, i) => ({
    start: kept + i * step,
    end: Math.min(size, kept + (i + 1) * step),
    done: 0,
  })).filter((p) => p.end > p.start);
}

/**
 * The record of an earlier ranged download into `partial`, if there is a valid one for `size` bytes (`null`: the
 * size is unknown now). An unusable record goes, with the partial file it described: its bytes are not in order.
 */
export function savedProgress(path: string, partial: string, size: number | null): Progress | null {
  if (!existsSync(path)) return null;
  try {
    const saved = Progress.parse(JSON.parse(readFileSync(path, 'utf8')));
    const consistent =
      saved.size === size && saved.parts.every((p) => p.start < p.end && p.end <= size && p.done <= p.end - p.start);
    if (consistent) return saved;
  } catch {
    // Unreadable or from another version: start the ranges again (below).
  }
  rmSync(path, { force: true });
  rmSync(partial, { force: true });
  return null;
}

/** The server answered a range request with the whole file: ranged fetching is not possible there. */
export class RangesNotSupported extends Error {}

function contentRange(response: Response): [number, number, number] | null {
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.headers.get('content-range') ?? '');
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : null;
}

class RangedWriter {
  private lastSave = 0;
  private readonly bodies = new Set<ReadableStreamDefaultReader<Uint8Array>>();
  private failure: Error | null = null;

  constructor(
    private readonly request: RangedRequest,
    private readonly progress: Progress,
    private readonly file: FileHandle,
  ) {}

  received(): number {
    return this.progress.size - this.progress.parts.reduce((n, p) => n + (p.end - p.start - p.done), 0);
  }

  save(force = false): void {
    const now = performance.now();
    if (!force && now - this.lastSave < SAVE_EVERY_MS) return;
    this.lastSave = now;
    writeFileAtomic(this.request.progressFile, JSON.stringify(this.progress), '.gunw-partial');
  }

  /** Ask for the rest of `part`; the answer must be exactly that range of a file of the expected size. */
  async ask(part: Part): Promise<ReadableStreamDefaultReader<Uint8Array>> {
    const { url, service, size } = this.request;
    const from = part.start + part.done;
    const response = await this.request.open({ Range: `bytes=${from}-${part.end - 1}` });
    if (response.status === 200) {
      await response.body?.cancel();
      throw new RangesNotSupported(`${safeUrl(url)} answers range requests with the whole file`);
    }
    if (response.status !== 206 || !response.body) {
      await response.body?.cancel();
      throw new HttpError(response.status, `${service} of ${safeUrl(url)} failed: HTTP ${response.status}`);
    }
    const range = contentRange(response);
    if (!range || range[0] !== from || range[1] !== part.end - 1 || range[2] !== size) {
      await response.body.cancel();
      throw new HttpError(
        0,
        `${service} of ${safeUrl(url)}: asked for bytes ${from}-${part.end - 1} of ${size}, the server sent ${response.headers.get('content-range') ?? 'no Content-Range'}`,
      );
    }
    const reader = response.body.getReader();
    this.bodies.add(reader);
    return reader;
  }

  /** Write a range's body in place as it arrives, counting it; the first failure of any range stops them all. */
  async fill(part: Part, reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    try {
      for (;;) {
        if (this.failure) throw this.failure;
        const { done, value } = await reader.read();
        if (done) break;
        const room = part.end - part.start - part.done;
        if (value.length > room)
          throw new HttpError(
            0,
            `${this.request.service} of ${safeUrl(this.request.url)}: a range came back longer than asked`,
          );
        let written = 0;
        while (written < value.length) {
          const { bytesWritten } = await this.file.write(
            value,
            written,
            value.length - written,
            part.start + part.done + written,
          );
          written += bytesWritten;
        }
        part.done += value.length;
        this.request.onProgress?.(this.received(), this.progress.size);
        this.save();
      }
      if (part.done !== part.end - part.start) {
        throw new HttpError(
          0,
          `${this.request.service} of ${safeUrl(this.request.url)}: a range ended ${part.end - part.start - part.done} bytes short`,
        );
      }
    } catch (error) {
      this.stop(error as Error);
      throw error;
    } finally {
      this.bodies.delete(reader);
    }
  }

  private stop(error: Error): void {
    this.failure ??= error;
    for (const body of this.bodies) void body.cancel().catch(() => undefined);
  }
}

/**
 * Fetch the missing ranges of `request.partial`: those of the `saved` progress of an earlier ranged download
 * (savedProgress), or, when there is none, everything after its first `kept` bytes. Returns when the partial file holds all `size` bytes; throws RangesNotSupported, with the
 * partial file cut back to what a plain download can continue, when the server ignores ranges.
 */
export async function fetchRanges(request: RangedRequest, saved: Progress | null, kept: number): Promise<void> {
  const progress: Progress = saved ?? {
    size: request.size,
    parts: splitRanges(request.size, kept, request.parts),
  };
  const file = await open(request.partial, existsSync(request.partial) ? 'r+' : 'w+');
  const writer = new RangedWriter(request, progress, file);
  writer.save(true);
  try {
    const pending = progress.parts.filter((p) => p.done < p.end - p.start);
    if (pending.length > 0) {
      // The first range alone: a server that ignores ranges must be noticed before the others start.
      const first = await writer.ask(pending[0]!);
      const rest = pending.slice(1).map(async (part) => writer.fill(part, await writer.ask(part)));
      const results = await Promise.allSettled([writer.fill(pending[0]!, first), ...rest]);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  } catch (error) {
    await file.close();
    if (error instanceof RangesNotSupported) {
      rmSync(request.progressFile, { force: true });
      const prefix = contiguousPrefix(progress);
      if (existsSync(request.partial) && statSync(request.partial).size > prefix) truncateSync(request.partial, prefix);
      throw error;
    }
    writer.save(true);
    const reason = error instanceof Error ? error.message : String(error);
    throw new HttpError(
      0,
      `${request.service} of ${safeUrl(request.url)} broke off with ${writer.received()} of ${request.size} bytes (${reason}); run again to continue`,
    );
  }
  await file.close();
  rmSync(request.progressFile, { force: true });
}

/** The bytes from the start of the file up to the first gap: what a plain download can continue. */
function contiguousPrefix(progress: Progress): number {
  // The bytes before the first range were in the partial file before the ranges began.
  let prefix = progress.parts[0]!.start;
  for (const part of progress.parts) {
    if (part.start !== prefix) break;
    prefix += part.done;
    if (part.done < part.end - part.start) break;
  }
  return prefix;
}
