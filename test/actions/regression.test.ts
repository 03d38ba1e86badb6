import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Of as sha256File } from '../../src/io/download.js';
import { COMMENT_MARKER } from '../../src/regression/summary.js';
import { sceneHash } from '../../src/product/gunw-id.js';
import { writeSamplePair, type WrittenSample } from '../../src/sample/write.js';
import { runAction } from '../helpers/action-runner.js';
import { FakeGitHub } from '../helpers/github-server.js';
import { tempDir } from '../helpers/tmp.js';

const TOKEN = 'ghs_regressionTokenForTests';
const JOB = `
  reference_scenes: S1A_IW_SLC__1SDV_20220212T222803_20220212T222830_041886_04FCA3_2B3E
  secondary_scenes: S1A_IW_SLC__1SDV_20220131T222803_20220131T222830_041711_04F690_8F5F
  frame_id: 25502`;

let github: FakeGitHub;
let api: string;
let workspace: string;
let sample: WrittenSample;
const comments: { id: number; body: string }[] = [];

const event = (fork: boolean) => ({
  pull_request: { number: 9, head: { repo: { full_name: fork ? 'someone/dtopsapp' : 'octo-org/dtopsapp' } }, base: { ref: 'dev' } },
});

beforeAll(async () => {
  workspace = tempDir('gunw-regression-action-');
  sample = await writeSamplePair(join(workspace, 'products'), 'regressed', { rows: 40, cols: 50 });
  const sha = await sha256File(sample.reference);
  mkdirSync(join(workspace, 'cases'));
  writeFileSync(join(workspace, 'cases', 'one.yml'), `name: one\njob:${JOB}\nreference: { path: ../products/reference.nc, sha256: "${sha}" }\ncandidate: { path: ../products/candidate.nc }\n`);
  github = new FakeGitHub();
  github.route('GET', /^\/repos\/octo-org\/dtopsapp\/issues\/9\/comments$/, () => ({ status: 200, body: comments.map((c) => ({ id: c.id, body: c.body, html_url: `https://github.com/c/${c.id}` })) }));
  github.route('POST', /^\/repos\/octo-org\/dtopsapp\/issues\/9\/comments$/, (request) => {
    const created = { id: 100 + comments.length, body: (request.body as { body: string }).body };
    comments.push(created);
    return { status: 201, body: { ...created, html_url: `https://github.com/c/${created.id}` } };
  });
  github.route('PATCH', /^\/repos\/octo-org\/dtopsapp\/issues\/comments\/(\d+)$/, (request, match) => {
    const comment = comments.find((c) => c.id === Number(match[1]))!;
    comment.body = (request.body as { body: string }).body;
    return { status: 200, body: { id: comment.id, body: comment.body, html_url: `https://github.com/c/${comment.id}` } };
  });
  api = await github.start();
});

afterAll(() => github.stop());

function regression(inputs: Record<string, string>, fork = false) {
  return runAction('regression', {
    inputs: { cases: 'cases', 'github-token': TOKEN, ...inputs },
    event: event(fork),
    env: { GITHUB_API_URL: api, GITHUB_EVENT_NAME: 'pull_request', GITHUB_WORKSPACE: workspace },
  });
}

describe('regression action', () => {
  it('reports a regression in the job summary and one pull request comment, updated in place on the next run', async () => {
    const first = await regression({ 'report-dir': 'report' });
    expect(first.status).toBe(1);
    expect(first.stdout).toContain('::error::GUNW regression: 0 passed, 1 failed, 0 errors, 0 skipped; see the job summary or report/index.html');
    expect(first.outputs).toMatchObject({ verdict: 'fail', 'report-dir': join(workspace, 'report'), 'comment-url': 'https://github.com/c/100' });
    expect(first.summary).toContain('GUNW regression: FAIL');
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(existsSync(join(workspace, 'report', 'cases', 'one', 'index.html'))).toBe(true);

    const second = await regression({ 'report-dir': 'report' });
    expect(second.status).toBe(1);
    expect(comments).toHaveLength(1);
    expect(github.calls().filter((c) => c.startsWith('PATCH'))).toEqual(['PATCH /repos/octo-org/dtopsapp/issues/comments/100']);
    expect(`${first.stdout}${second.stdout}`).not.toContain(TOKEN);
  });

  it('leaves a fork\'s pull request to a workflow_run job, which posts the saved report with mode: comment', async () => {
    const before = comments.length;
    const run = await regression({ 'report-dir': 'fork-report' }, true);
    expect(run.stdout).toContain('::notice::pull request #9 comes from a fork');
    expect(readFileSync(join(workspace, 'fork-report', 'pr-number'), 'utf8').trim()).toBe('9');
    expect(comments).toHaveLength(before);
    const post = await runAction('regression', {
      inputs: { mode: 'comment', 'report-dir': 'fork-report', 'github-token': TOKEN },
      event: { workflow_run: { event: 'pull_request' } },
      env: { GITHUB_API_URL: api, GITHUB_EVENT_NAME: 'workflow_run', GITHUB_WORKSPACE: workspace },
    });
    expect(post.status).toBe(0);
    expect(comments).toHaveLength(before);
    expect(comments[0]!.body).toContain('GUNW regression: FAIL');
  });

  it('passes a re-run found in the candidates directory, and fails it on its 2π jump with fail-on: ambiguity', async () => {
    const passing = await writeSamplePair(join(workspace, 'passing'), 'passing', { rows: 40, cols: 50 });
    const sha = await sha256File(passing.reference);
    mkdirSync(join(workspace, 'pass-cases'), { recursive: true });
    writeFileSync(join(workspace, 'pass-cases', 'p.yml'), `name: p\njob:${JOB}\nreference: { path: ../passing/reference.nc, sha256: "${sha}" }\n`);
    mkdirSync(join(workspace, 'candidates'), { recursive: true });
    const hash = sceneHash(['S1A_IW_SLC__1SDV_20220212T222803_20220212T222830_041886_04FCA3_2B3E'], ['S1A_IW_SLC__1SDV_20220131T222803_20220131T222830_041711_04F690_8F5F']);
    copyFileSync(passing.candidate, join(workspace, 'candidates', `S1-GUNW-A-R-164-tops-20220212_20220131-222816-00071W_00047N-PP-${hash}-v3_0_1.nc`));
    const lenient = await regression({ cases: 'pass-cases', candidates: 'candidates', comment: 'never', 'report-dir': 'pass-report' });
    expect(lenient.status).toBe(0);
    expect(lenient.outputs.verdict).toBe('pass');
    expect(lenient.summary).toContain('| `p` | ✅ pass |');
    const strict = await regression({ cases: 'pass-cases', candidates: 'candidates', comment: 'never', 'report-dir': 'strict-report', 'fail-on': 'ambiguity' });
    expect(strict.status).toBe(1);
    expect(strict.outputs.verdict).toBe('fail');
  });

  it('names a bad input in one line', async () => {
    const run = await regression({ 'fail-on': 'everything' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("::error::input fail-on: regression or ambiguity");
  });
});
