import { readFileSync } from 'node:fs';
import { UsageError } from '../../errors.js';

/**
 * The workflow run an action is part of, read from the runner's environment when the action starts (not at import
 * time, so tests can set it up first).
 */
export interface ActionContext {
  readonly eventName: string;
  readonly sha: string;
  readonly ref: string;
  /** GITHUB_RUN_ID: which run wrote an artifact, for a workflow_run job to check. */
  readonly runId: string;
  readonly owner: string;
  readonly repo: string;
  readonly apiUrl: string;
  readonly serverUrl: string;
  readonly workspace: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

export function readContext(env: NodeJS.ProcessEnv = process.env): ActionContext {
  const repository = env.GITHUB_REPOSITORY ?? '';
  const [owner, repo] = repository.split('/');
  if (!owner || !repo)
    throw new UsageError(
      `GITHUB_REPOSITORY must be "owner/repo" (got "${repository}"); run this action in a GitHub Actions workflow`,
    );
  let payload: Record<string, unknown> = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as Record<string, unknown>;
    } catch {
      throw new UsageError(`cannot read the event payload ${env.GITHUB_EVENT_PATH}`);
    }
  }
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    runId: env.GITHUB_RUN_ID ?? '',
    owner,
    repo,
    apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    payload,
  };
}

/** The pull request number of a pull_request / pull_request_target event, or null. */
export function pullRequestNumber(context: ActionContext): number | null {
  const pull = context.payload.pull_request as { number?: unknown } | undefined;
  return typeof pull?.number === 'number' ? pull.number : null;
}

/** The pull request number, for an action that only runs on pull requests: any other event is refused by name. */
export function requirePullRequest(context: ActionContext, action: string): number {
  const number = pullRequestNumber(context);
  if (number === null)
    throw new Error(`${action} runs on pull_request events (this is ${context.eventName || 'not an event'})`);
  return number;
}
