/**
 * HTTP with the manners remote services expect: a timeout per attempt, retries with exponential back-off on
 * network errors, 429 and 5xx (honouring Retry-After), and errors that name the service and never the credentials.
 */

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface HttpOptions {
  /** Milliseconds to wait for an answer's headers, per attempt (the body is not limited). */
  readonly timeoutMs?: number;
  /** Attempts after the first. */
  readonly retries?: number;
  /** First back-off in milliseconds; doubles each retry. */
  readonly backoffMs?: number;
  /** A name for messages, e.g. "CMR search". */
  readonly service?: string;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
}

const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);
const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The URL without credentials or query (for messages). */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

export async function fetchWithRetry(url: string, init: RequestInit = {}, options: HttpOptions = {}): Promise<Response> {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? defaultSleep;
  const retries = options.retries ?? 3;
  const service = options.service ?? safeUrl(url);
  let wait = options.backoffMs ?? 1000;
  for (let attempt = 0; ; attempt++) {
    let response: Response | null = null;
    let failure: string;
    // The timeout covers waiting for the answer's headers only: a large body may take as long as it needs.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException('no answer in time', 'TimeoutError')), options.timeoutMs ?? 30_000);
    try {
      response = await doFetch(url, { ...init, signal: controller.signal });
      if (!RETRY_STATUS.has(response.status)) return response;
      failure = `HTTP ${response.status}`;
    } catch (error) {
      const cause = error instanceof Error ? (error.name === 'TimeoutError' ? `no answer within ${(options.timeoutMs ?? 30_000) / 1000} s` : (error.cause as Error | undefined)?.message ?? error.message) : String(error);
      failure = cause;
    } finally {
      clearTimeout(timer);
    }
    if (attempt >= retries) {
      throw new HttpError(response?.status ?? 0, `${service} failed after ${attempt + 1} attempts (${failure}) at ${safeUrl(url)}`);
    }
    const retryAfter = Number(response?.headers.get('retry-after'));
    await response?.body?.cancel();
    await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : wait);
    wait *= 2;
  }
}
