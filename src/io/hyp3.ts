import { z } from 'zod';
import { UsageError } from '../errors.js';
import { EarthdataSession } from './earthdata.js';
import { fetchWithRetry, HttpError, safeUrl } from './http.js';

/**
 * A client of the HyP3 jobs API (../shared/research/hyp3-and-endpoints.md, part A): submit `INSAR_ISCE` jobs in
 * batches of at most 200, list jobs by name following `next`, read one job. Every answer is validated with zod, so
 * an API change is reported as what changed rather than as a crash later. Authentication is an Earthdata Login
 * bearer token, or the `asf-urs` cookie obtained through Earthdata Login with a username and password.
 */

export const HYP3_DEPLOYMENTS = {
  production: 'https://hyp3-a19-jpl.asf.alaska.edu',
  test: 'https://hyp3-a19-jpl-test.asf.alaska.edu',
} as const;

export const MAX_JOBS_PER_SUBMIT = 200;
const AUTH_URL = 'https://urs.earthdata.nasa.gov/oauth/authorize?response_type=code&client_id=BO_n7nTIlMljdvU6kRRB3g&redirect_uri=https://cumulus.asf.alaska.edu/login&app_type=401';

const jobSchema = z.object({
  job_id: z.string(),
  user_id: z.string(),
  job_type: z.string(),
  job_parameters: z.record(z.string(), z.unknown()),
  request_time: z.string(),
  status_code: z.enum(['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED']),
  name: z.string().optional(),
  files: z.array(z.object({ filename: z.string(), size: z.number(), url: z.string() })).optional(),
  browse_images: z.array(z.string()).optional(),
  logs: z.array(z.string()).optional(),
  expiration_time: z.string().nullable().optional(),
  processing_times: z.array(z.union([z.number(), z.array(z.number())])).nullable().optional(),
});

export type Hyp3Job = z.infer<typeof jobSchema>;

const listSchema = z.object({ jobs: z.array(jobSchema), next: z.string().optional() });
const submitSchema = z.object({ jobs: z.array(jobSchema) });
const userSchema = z.object({
  user_id: z.string(),
  application_status: z.string().optional(),
  remaining_credits: z.number().nullable().optional(),
  job_names: z.array(z.string()).optional(),
});
const problemSchema = z.object({ status: z.number().optional(), detail: z.string(), title: z.string().optional() });

export interface JobRequest {
  readonly job_type: string;
  readonly name: string;
  readonly job_parameters: Record<string, unknown>;
}

/** A HyP3 failure, told in one line (the CLI prints it and exits 2, like other bad input or unreachable services). */
export class Hyp3Error extends UsageError {
  override name = 'Hyp3Error';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Hyp3Options {
  readonly baseUrl: string;
  /** An Earthdata Login user token (sent as a bearer token). */
  readonly token?: string;
  /** Earthdata Login credentials for the cookie flow, when there is no token. */
  readonly credentials?: { readonly username: string; readonly password: string };
  /** The Earthdata Login URL that starts the cookie flow (tests point it at a local server). */
  readonly authUrl?: string;
  readonly ursHost?: string;
  readonly fetch?: typeof fetch;
  readonly backoffMs?: number;
  readonly timeoutMs?: number;
}

export class Hyp3Client {
  private readonly base: string;
  private cookie: string | null = null;

  constructor(private readonly options: Hyp3Options) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    if (!options.token && !options.credentials) throw new UsageError('HyP3 needs an Earthdata Login token (--hyp3-token or EARTHDATA_TOKEN) or Earthdata credentials');
  }

  /** Endpoints resolve under any path of the base URL, as the SDK does (`https://host/api` + `/jobs`). */
  private url(path: string): string {
    return `${this.base}${path}`;
  }

  private async login(): Promise<void> {
    const credentials = this.options.credentials!;
    const session = new EarthdataSession({ ...credentials, ursHost: this.options.ursHost, fetch: this.options.fetch, backoffMs: this.options.backoffMs });
    const response = await session.open(this.options.authUrl ?? AUTH_URL);
    await response.body?.cancel();
    const final = new URL(response.url || this.options.authUrl || AUTH_URL);
    if (final.searchParams.get('error_msg')) {
      const resolution = final.searchParams.get('resolution_url');
      throw new UsageError(`Earthdata Login refused the HyP3 login: ${final.searchParams.get('error_msg')}${resolution ? `: ${resolution}` : ''}`);
    }
    const value = session.cookie('asf-urs');
    if (!value) throw new UsageError('Earthdata Login did not give the asf-urs cookie HyP3 needs; check the credentials or use a token (--hyp3-token)');
    this.cookie = `asf-urs=${value}`;
  }

  private async request(method: string, path: string | URL, body?: unknown, retried = false): Promise<unknown> {
    if (!this.options.token && !this.cookie) await this.login();
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'dockerized-topsapp-gunw' };
    if (this.options.token) headers.Authorization = `Bearer ${this.options.token}`;
    else headers.Cookie = this.cookie!;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const url = typeof path === 'string' ? this.url(path) : path.toString();
    let response: Response;
    try {
      response = await fetchWithRetry(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }, {
        service: `HyP3 ${method} ${typeof path === 'string' ? path : path.pathname}`,
        fetch: this.options.fetch,
        backoffMs: this.options.backoffMs,
        timeoutMs: this.options.timeoutMs,
      });
    } catch (error) {
      if (error instanceof HttpError) throw new Hyp3Error(error.status, `${error.message}; HyP3 may be down or unreachable, try again later`);
      throw error;
    }
    const text = await response.text();
    if (response.status === 401 && !this.options.token && !retried) {
      // The cookie expired: log in again once.
      this.cookie = null;
      return this.request(method, path, body, true);
    }
    if (!response.ok) throw this.failure(response.status, text, method, url);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new Hyp3Error(response.status, `HyP3 ${method} ${safeUrl(url)} answered ${response.status} with a body that is not JSON`);
    }
  }

  private failure(status: number, text: string, method: string, url: string): Hyp3Error {
    let detail: string | null = null;
    try {
      const parsed = problemSchema.safeParse(JSON.parse(text));
      detail = parsed.success ? parsed.data.detail : ((JSON.parse(text) as { message?: string }).message ?? null);
    } catch {
      // Not JSON: an API Gateway or Flask HTML page.
    }
    const where = `HyP3 ${method} ${new URL(url).pathname}`;
    if (status === 401) return new Hyp3Error(status, `${where}: HyP3 rejected the credentials (${detail ?? 'HTTP 401'}); renew the Earthdata token`);
    if (status === 503) return new Hyp3Error(status, `${where}: HyP3 is unavailable (${detail ?? 'HTTP 503'}); try again later`);
    return new Hyp3Error(status, `${where} failed: HTTP ${status}${detail ? `: ${detail.length > 300 ? `${detail.slice(0, 297)}...` : detail}` : ''}`);
  }

  private validate<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Hyp3Error(0, `HyP3 ${what} answer is not what this client understands (${issue.path.join('.') || 'top level'}: ${issue.message}); has the API changed?`);
    }
    return parsed.data;
  }

  async user(): Promise<z.infer<typeof userSchema>> {
    return this.validate(userSchema, await this.request('GET', '/user'), 'user');
  }

  async job(id: string): Promise<Hyp3Job> {
    return this.validate(jobSchema, await this.request('GET', `/jobs/${encodeURIComponent(id)}`), 'job');
  }

  /** Every job matching the query, following `next` until it is absent. */
  async listJobs(query: { readonly name?: string; readonly status_code?: string; readonly job_type?: string } = {}): Promise<Hyp3Job[]> {
    const first = new URL(this.url('/jobs'));
    for (const [key, value] of Object.entries(query)) if (value !== undefined) first.searchParams.set(key, value);
    const jobs: Hyp3Job[] = [];
    let next: URL | null = first;
    for (let page = 0; next && page < 10_000; page++) {
      const answer: z.infer<typeof listSchema> = this.validate(listSchema, await this.request('GET', next), 'job list');
      jobs.push(...answer.jobs);
      next = answer.next ? new URL(answer.next) : null;
    }
    return jobs;
  }

  /** Submit jobs in batches of at most 200 (sequentially: there is no idempotency key, so no parallel retries). */
  async submit(requests: readonly JobRequest[], validateOnly = false): Promise<Hyp3Job[]> {
    const submitted: Hyp3Job[] = [];
    for (let i = 0; i < requests.length; i += MAX_JOBS_PER_SUBMIT) {
      const batch = requests.slice(i, i + MAX_JOBS_PER_SUBMIT);
      const answer = this.validate(submitSchema, await this.request('POST', '/jobs', { jobs: batch, ...(validateOnly ? { validate_only: true } : {}) }), 'submit');
      submitted.push(...answer.jobs);
    }
    return submitted;
  }
}

export const isComplete = (job: Hyp3Job): boolean => job.status_code === 'SUCCEEDED' || job.status_code === 'FAILED';

export function isExpired(job: Hyp3Job, now: Date): boolean {
  return job.expiration_time ? Date.parse(job.expiration_time) <= now.getTime() : false;
}

/** The HyP3 INSAR_ISCE parameters of a processor job (HyP3 names the scene lists granules/secondary_granules). */
export function insarIsceParameters(parameters: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { reference_scenes, secondary_scenes, wrapped_phase_layer: _unused, ...rest } = parameters as Record<string, unknown>;
  return { granules: reference_scenes, secondary_granules: secondary_scenes, ...rest };
}
