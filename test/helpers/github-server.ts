import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly authorization: string | undefined;
  readonly body: unknown;
}

export type Handler = (request: RecordedRequest, match: RegExpExecArray) => { status: number; body: unknown };

/** A recorded response body from test/fixtures/github, with placeholders replaced. */
export function fixture(name: string, replace: Record<string, string> = {}): unknown {
  let text = readFileSync(join(import.meta.dirname, '../fixtures/github', `${name}.json`), 'utf8');
  for (const [from, to] of Object.entries(replace)) text = text.replaceAll(from, to);
  return JSON.parse(text);
}

async function bodyOf(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : null;
}

/**
 * A stand-in for api.github.com on 127.0.0.1: routes are "METHOD /path-regex" → handler; every request is recorded
 * so tests can assert what an action asked for. Unrouted requests answer 404 like GitHub does.
 */
export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  private server: Server | null = null;
  private readonly routes: [string, RegExp, Handler][] = [];

  route(method: string, path: RegExp, handler: Handler): this {
    this.routes.push([method, path, handler]);
    return this;
  }

  async start(): Promise<string> {
    this.server = createServer(async (request, response) => {
      const recorded: RecordedRequest = {
        method: request.method ?? 'GET',
        // octokit encodes slashes inside parameters (git/ref/tags%2Fv1.0.0); GitHub decodes them, and so do we.
        path: decodeURIComponent((request.url ?? '/').split('?')[0]!),
        query: Object.fromEntries(new URL(request.url ?? '/', 'http://127.0.0.1').searchParams),
        authorization: request.headers.authorization,
        body: await bodyOf(request),
      };
      this.requests.push(recorded);
      let answer = { status: 404, body: fixture('not-found') };
      for (const [method, pattern, handler] of this.routes) {
        const match = method === recorded.method ? pattern.exec(recorded.path) : null;
        if (match) {
          answer = handler(recorded, match);
          break;
        }
      }
      response.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  calls(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path}`);
  }
}
