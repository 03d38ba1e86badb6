import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isForkPullRequest,
  pullRequestOfRun,
  RUN_FILE,
  savedReportProblem,
} from '../../src/regression/pull-request.js';
import { tempDir } from '../helpers/tmp.js';

/** The rules by which the regression action decides where a report goes, apart from the action's shell. */
describe('the pull request of a report', () => {
  it('tells a fork by its head repository', () => {
    expect(isForkPullRequest({ head: { repo: { full_name: 'someone/fork' } } }, 'org/repo')).toBe(true);
    expect(isForkPullRequest({ head: { repo: { full_name: 'org/repo' } } }, 'org/repo')).toBe(false);
    // A deleted fork has no head repository: nothing says it is one, and the comment step then fails on its own.
    expect(isForkPullRequest({ head: { repo: null } }, 'org/repo')).toBe(false);
  });

  it("takes a workflow_run's pull request from the event, or the one open pull request at its head", async () => {
    const none = async () => [];
    expect(
      await pullRequestOfRun({ head_sha: 'abc', pull_requests: [{ number: 7, head: { sha: 'abc' } }] }, none),
    ).toBe(7);
    const fork = { head_sha: 'abc1234', head_branch: 'feature', head_repository: { full_name: 'someone/fork' } };
    const asked: string[] = [];
    const open = async (owner: string, branch: string) => {
      asked.push(`${owner}:${branch}`);
      return [
        { number: 9, headSha: 'abc1234' },
        { number: 10, headSha: 'other' },
      ];
    };
    expect(await pullRequestOfRun(fork, open)).toBe(9);
    expect(asked).toEqual(['someone:feature']);
    await expect(pullRequestOfRun(fork, none)).rejects.toThrow(
      'found 0 open pull requests with head someone:feature at abc1234; not commenting',
    );
    await expect(pullRequestOfRun({ head_sha: 'abc' }, none)).rejects.toThrow(/names no pull request/);
  });

  it('posts a downloaded report only when it says the run of the event wrote it', () => {
    const dir = tempDir('gunw-saved-report-');
    expect(savedReportProblem(dir, 42)).toMatch(/^the report comes from run unknown, not from the run this event/);
    writeFileSync(join(dir, RUN_FILE), JSON.stringify({ runId: 41 }));
    expect(savedReportProblem(dir, 42)).toMatch(
      /^the report comes from run 41, not from the run this event is about \(42\)/,
    );
    writeFileSync(join(dir, RUN_FILE), JSON.stringify({ runId: 42 }));
    expect(savedReportProblem(dir, 42)).toBeNull();
  });
});
