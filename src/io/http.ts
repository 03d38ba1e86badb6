import { fetch as undiciFetchImpl } from 'undici';
import { UsageError } from '../errors.js';

/**
 * The fetch every request goes through: undici 8 from npm rather than the one Node bundles. Node 24.22's bundled
 * undici (7.30.2) crashes the whole process with an uncatchable `assert(!this.paused)` when a server closes the
 * connection right after a body its reader has not caught up with (nodejs/undici#5360, fixed in undici 8 by
 * nodejs/undici#5474): measured here, Node's fetch crashed on the first such answer read slowly, undici 8's read 20 of
 * 20 (test/io/download.test.ts runs the case). Loading undici 8 also makes it the dispatcher of Node's own fetch.
 */
export const projectFetch = undiciFetchImpl as unknown as typeof fetch;

/**
 * HTTP with the manners remote services expect and the limits a user needs: a wait for each answer's headers, an
 * idle limit while its body arrives, an overall deadline, retries with exponential back-off on network errors,
 * 429 and 5xx (honouring Retry-After up to a cap), and errors that name the service and never the credentials.
 * Written here rather than taken from undici's RetryAgent for what it must not do: it retries any method it is
 * given, where a HyP3 job submission must never be sent twice (a POST is retried only after the service was asked
 * whether the job exists), and it cannot cut a server's Retry-After and say so; the deadline and idle limits are
 * per download, which its options do not express.
 */

/** A service that failed or could not be reached: not a bug, so it exits 2 like other trouble with the input. */
export class HttpError extends UsageError {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface HttpOptions {
  /** Milliseconds to wait for an answer's headers, per attempt. */
  readonly timeoutMs?: number;
  /** Milliseconds a body may go without data before the request is given up. */
  readonly idleMs?: number;
  /** Milliseconds the whole request may take, retries and body included. */
  readonly deadlineMs?: number;
  /** Attempts after the first. */
  readonly retries?: number;
  /** First back-off in milliseconds; doubles each retry. */
  readonly backoffMs?: number;
  /** The longest wait a server's Retry-After is granted; a longer one is cut to this, and said so. */
  readonly maxRetryWaitMs?: number;
  /** A name for messages, e.g. "CMR search". */
  readonly service?: string;
  /** Told what the client decided that the user should know (a shortened wait). */
  readonly onNotice?: (message: string) => void;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_IDLE_MS = 120_000;
export const DEFAULT_DEADLINE_MS = 30 * 60_000;
export const DEFAULT_MAX_RETRY_WAIT_MS = 120_000;

const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);
const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The URL without credentials, query or fragment (for messages). */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/** Seconds (or an HTTP date) of a Retry-After header, in milliseconds; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const number = Number(value);
  if (Number.isFinite(number)) return number >= 0 ? number * 1000 : null;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : null;
}

/**
 * A body that fails with `error()` when no data has come for `idleMs`: the watchdog is reset by every chunk and
 * stopped when the body ends. The returned response keeps the original's status, headers and URL.
 */
function watchBody(
  response: Response,
  idleMs: number,
  abort: (error: HttpError) => void,
  error: () => HttpError,
  done: () => void,
): Response {
  if (!response.body) {
    done();
    return response;
  }
  let timer: NodeJS.Timeout | null = null;
  const arm = (): void => {
    if (timer) clearTimeout(timer);
    // Unreferenced: a body the caller cancels leaves the watch armed, and it must not keep the process alive.
    timer = setTimeout(() => abort(error()), idleMs).unref();
  };
  const stop = (): void => {
    if (timer) clearTimeout(timer);
    done();
  };
  arm();
  const body = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        arm();
        controller.enqueue(chunk);
      },
      flush: stop,
    }),
  );
  const watched = new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  Object.defineProperty(watched, 'url', { value: response.url });
  return watched;
}

export async function fetchWithRetry(
  url: string,
  init: RequestInit = {},
  options: HttpOptions = {},
): Promise<Response> {
  const doFetch = options.fetch ?? projectFetch;
  const sleep = options.sleep ?? defaultSleep;
  const retries = options.retries ?? 3;
  const service = options.service ?? safeUrl(url);
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return '(invalid URL)';
    }
  })();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const maxWait = options.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
  const started = Date.now();
  let wait = options.backoffMs ?? 1000;
  for (let attempt = 0; ; attempt++) {
    let response: Response | null = null;
    let failure: string;
    const controller = new AbortController();
    const abort = (error: HttpError): void => controller.abort(error);
    const left = deadlineMs - (Date.now() - started);
    const deadline = setTimeout(
      () => abort(new HttpError(0, `${service} did not finish within ${seconds(deadlineMs)} at ${host}`)),
      Math.max(0, left),
    ).unref();
    const answer = setTimeout(() => abort(new HttpError(0, `no answer within ${seconds(timeoutMs)}`)), timeoutMs);
    try {
      response = await doFetch(url, { ...init, signal: controller.signal });
      clearTimeout(answer);
      if (!RETRY_STATUS.has(response.status)) {
        return watchBody(
          response,
          idleMs,
          abort,
          () => new HttpError(0, `${service}: no data from ${host} for ${seconds(idleMs)}`),
          () => clearTimeout(deadline),
        );
      }
      failure = `HTTP ${response.status}`;
    } catch (error) {
      const reason: unknown = controller.signal.reason;
      if (reason instanceof HttpError && reason.message.includes('did not finish within')) throw reason;
      failure =
        reason instanceof HttpError
          ? reason.message
          : error instanceof Error
            ? ((error.cause as Error | undefined)?.message ?? error.message)
            : String(error);
    } finally {
      clearTimeout(answer);
    }
    clearTimeout(deadline);
    if (attempt >= retries) {
      throw new HttpError(
        response?.status ?? 0,
        `${service} failed ${attempt === 0 ? '' : `after ${attempt + 1} attempts `}(${failure}) at ${safeUrl(url)}`,
      );
    }
    const asked = retryAfterMs(response?.headers.get('retry-after') ?? null);
    await response?.body?.cancel();
    let delay = asked ?? wait;
    if (asked !== null && asked > maxWait) {
      options.onNotice?.(
        `${service}: ${host} asked to wait ${seconds(asked)} before trying again; waiting ${seconds(maxWait)} (the limit)`,
      );
      delay = maxWait;
    }
    if (Date.now() - started + delay >= deadlineMs) {
      throw new HttpError(
        response?.status ?? 0,
        `${service} did not finish within ${seconds(deadlineMs)} at ${host} (${failure})`,
      );
    }
    await sleep(delay);
    wait *= 2;
  }
}

/** Bodies read into memory whole: a server's JSON, an orbit file, a small archive. */
export const BODY_LIMITS = {
  /** HyP3 and Earthdata answers: a page of HyP3 jobs is under 2 MB. */
  api: 16 * 1024 * 1024,
  /** A CMR page of granules (UMM JSON, up to 2,000 items) is about 20 MB. */
  search: 64 * 1024 * 1024,
  /** A precise orbit file (POEORB) is about 4.5 MB. */
  orbit: 32 * 1024 * 1024,
  /** Aux-cal bundles are a few MB; frame tables about 30 MB zipped. */
  archive: 128 * 1024 * 1024,
} as const;

/**
 * The body of an answer, at most `limit` bytes, read as it arrives: a longer one (announced or sent) is refused in
 * one line and read no further, so a broken or hostile server cannot fill memory.
 */
export async function readLimited(response: Response, limit: number, service: string): Promise<Buffer> {
  const refuse = (): HttpError =>
    new HttpError(
      0,
      `${service} answered more than ${Math.round(limit / 1024 / 1024)} MB, more than it can be; refusing it`,
    );
  const announced = Number(response.headers.get('content-length'));
  if (Number.isFinite(announced) && announced > limit) {
    await response.body?.cancel();
    throw refuse();
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw refuse();
    }
    parts.push(value);
  }
  return Buffer.concat(parts, size);
}

/**
 * A request whose whole answer is read into memory (at most `limit` bytes): the headers with fetchWithRetry's
 * retries, and the body too — a body cut short (a connection reset, fewer bytes than Content-Length) is asked for
 * again, up to the same number of retries, then reported in one line.
 */
export async function fetchBody(
  url: string,
  init: RequestInit,
  options: HttpOptions & { readonly limit: number },
): Promise<{ response: Response; body: Buffer }> {
  const service = options.service ?? safeUrl(url);
  const retries = options.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    const response = await fetchWithRetry(url, init, options);
    try {
      return { response, body: await readLimited(response, options.limit, service) };
    } catch (error) {
      if (error instanceof HttpError) throw error;
      const reason =
        error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
      if (attempt >= retries)
        throw new HttpError(
          0,
          `${service}: the answer from ${safeUrl(url)} was cut short (${reason})${attempt > 0 ? ` ${attempt + 1} times` : ''}`,
        );
      await (options.sleep ?? defaultSleep)((options.backoffMs ?? 1000) * 2 ** attempt);
    }
  }
}
