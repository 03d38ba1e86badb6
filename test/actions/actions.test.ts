import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAction } from '../helpers/action-runner.js';
import { TestRepo } from '../helpers/gitdir.js';
import { FakeGitHub, fixture } from '../helpers/github-server.js';

const TOKEN = 'ghs_testtoken0123456789';
let github: FakeGitHub;
let api: string;

beforeEach(async () => {
  github = new FakeGitHub();
  api = await github.start();
});

afterEach(async () => {
  await github.stop();
});

function pullWithLabels(...names: string[]) {
  const pull = fixture('pull') as { labels: { name: string }[] };
  return { ...pull, labels: names.map((name, id) => ({ id, name, color: '000000', default: false })) };
}

const pullRequestEvent = {
  action: 'labeled',
  number: 7,
  pull_request: { number: 7, base: { ref: 'main', sha: '' }, labels: [{ name: 'stale-label-from-payload' }] },
};

describe('labeled-pr action', () => {
  it('passes with exactly one bump label, read from the API (not the stale payload), and names the next release', async () => {
    const repo = TestRepo.create();
    repo.commit('first');
    repo.tag('v0.1.0');
    github.route('GET', /^\/repos\/octo-org\/dtopsapp\/pulls\/7$/, () => ({
      status: 200,
      body: pullWithLabels('Minor', 'documentation'),
    }));
    const run = await runAction('labeled-pr', {
      inputs: { 'github-token': TOKEN },
      event: pullRequestEvent,
      env: { GITHUB_API_URL: api, GITHUB_EVENT_NAME: 'pull_request', GITHUB_WORKSPACE: repo.dir },
    });
    expect(run.status).toBe(0);
    expect(run.outputs).toEqual({ label: 'minor', bump: 'minor', 'next-version': '0.2.0' });
    expect(run.summary).toContain('Pull request #7 is labelled <code>minor</code>: merging it releases v0.2.0.');
    expect(github.calls()).toEqual(['GET /repos/octo-org/dtopsapp/pulls/7']);
    expect(github.requests[0]!.authorization).toBe(`token ${TOKEN}`);
  });

  it("plans bare tags with tag-prefix: '' (an empty input is a value there, not the default)", async () => {
    const repo = TestRepo.create();
    repo.commit('first');
    repo.tag('0.3.8');
    github.route('GET', /^\/repos\/octo-org\/dtopsapp\/pulls\/7$/, () => ({
      status: 200,
      body: pullWithLabels('patch'),
    }));
    const run = await runAction('labeled-pr', {
      inputs: { 'github-token': TOKEN, 'tag-prefix': '' },
      event: pullRequestEvent,
      env: { GITHUB_API_URL: api, GITHUB_EVENT_NAME: 'pull_request', GITHUB_WORKSPACE: repo.dir },
    });
    expect(run.status, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ label: 'patch', 'next-version': '0.3.9' });
    expect(run.summary).toContain('merging it releases 0.3.9.');
  });

  it.each([
    [['documentation'], 'no release label (labels: documentation); add exactly one of:'],
    [['major', 'patch'], '2 release labels (major, patch); keep exactly one of:'],
    [['patch', 'bumpless'], '2 release labels (patch, bumpless); keep exactly one of:'],
  ])('fails with %o, explains the fix, and says so in the job summary', async (labels, problem) => {
    github.route('GET', /^\/repos\/octo-org\/dtopsapp\/pulls\/7$/, () => ({
      status: 200,
      body: pullWithLabels(...labels),
    }));
    const run = await runAction('labeled-pr', {
      inputs: { 'github-token': TOKEN },
      event: pullRequestEvent,
      env: { GITHUB_API_URL: api, GITHUB_EVENT_NAME: 'pull_request' },
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`::error::pull request #7: ${problem} major, minor, patch, bumpless`);
    expect(run.summary).toContain('<h3>Release label: failed</h3>');
    expect(run.summary).toContain(`pull request #7: ${problem} major, minor, patch, bumpless`);
    expect(run.stdout).not.toContain(TOKEN);
  });

  it.each(['labeled-pr', 'changelog'])(
    '%s on a push event fails in one line naming the event, asking nothing of the API',
    async (action) => {
      const run = await runAction(action, {
        inputs: { 'github-token': TOKEN },
        event: { ref: 'refs/heads/main' },
        env: { GITHUB_API_URL: api, GITHUB_EVENT_NAME: 'push' },
      });
      expect(run.status).toBe(1);
      expect(run.stdout).toContain(`::error::${action} runs on pull_request events (this is push)`);
      expect(github.calls()).toEqual([]);
    },
  );

  it('lets an unlabelled pull request into another branch pass, and still checks labels set there', async () => {
    const intoDev = { ...pullRequestEvent, pull_request: { ...pullRequestEvent.pull_request, base: { ref: 'dev' } } };
    let labels = ['documentation'];
    github.route('GET', /^\/repos\/octo-org\/dtopsapp\/pulls\/7$/, () => ({
      status: 200,
      body: pullWithLabels(...labels),
    }));
    const check = (inputs: Record<string, string> = {}) =>
      runAction('labeled-pr', {
        inputs: { 'github-token': TOKEN, ...inputs },
        event: intoDev,
        env: { GITHUB_API_URL: api, GITHUB_EVENT_NAME: 'pull_request' },
      });
    const passing = await check({ 'release-branch': 'main' });
    expect(passing.status, passing.stdout).toBe(0);
    expect(passing.outputs).toMatchObject({ label: '', bump: 'none' });
    expect(passing.summary).toContain('needs no release label (only merges into main release)');
    // The same pull request is one that releases when `dev` is the release branch.
    const releasing = await check({ 'release-branch': 'dev' });
    expect(releasing.status).toBe(1);
    labels = ['minor', 'major'];
    const twoLabels = await check();
    expect(twoLabels.status).toBe(1);
    expect(twoLabels.stdout).toContain('2 release labels (major, minor)');
  });

  it('reports a failing API in one line without the token', async () => {
    github.route('GET', /^\/repos\/octo-org\/dtopsapp\/pulls\/7$/, () => ({
      status: 401,
      body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' },
    }));
    const run = await runAction('labeled-pr', {
      inputs: { 'github-token': TOKEN },
      event: pullRequestEvent,
      env: { GITHUB_API_URL: api, GITHUB_EVENT_NAME: 'pull_request' },
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('::error::GitHub API: reading pull request #7 failed (401: Bad credentials)');
    expect(`${run.stdout}${run.stderr}`).not.toContain(TOKEN);
  });
});

describe('changelog action', () => {
  it('annotates each failing line of the changelog and writes a summary', async () => {
    const repo = TestRepo.create();
    repo.write('CHANGELOG.md', '# Changelog\n\n## [0.1.0]\n\n### Added\n\n- first\n');
    const base = repo.commit('first');
    repo.tag('v0.1.0');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write(
      'CHANGELOG.md',
      '# Changelog\n\n## [0.1.1]\n\n### Updated\n\n- search\n\n## [0.1.0]\n\n### Added\n\n- first\n',
    );
    repo.git('commit', '-qam', 'feat: search');
    github.route('GET', /\/pulls\/7$/, () => ({ status: 200, body: pullWithLabels('minor') }));
    const run = await runAction('changelog', {
      inputs: { 'github-token': TOKEN },
      event: {
        ...pullRequestEvent,
        pull_request: { ...pullRequestEvent.pull_request, base: { ref: 'main', sha: base } },
      },
      env: { GITHUB_API_URL: api, GITHUB_EVENT_NAME: 'pull_request', GITHUB_WORKSPACE: repo.dir },
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      '::error title=Changelog,file=CHANGELOG.md,line=3::label minor releases 0.2.0, but the newest version is 0.1.1 (line 3)',
    );
    expect(run.stdout).toContain(
      '::error title=Changelog,file=CHANGELOG.md,line=5::unknown change type "Updated" (use "Changed")',
    );
    expect(run.outputs).toEqual({ 'expected-version': '0.2.0', failures: '2' });
    expect(run.summary).toContain('Label <code>minor</code> releases <b>0.2.0</b>.');
  });
});

describe('changelog action on an adopting repository', () => {
  function pluginFeature(): { repo: TestRepo; base: string } {
    const repo = TestRepo.create();
    repo.write('CHANGELOG.md', readFileSync(join(import.meta.dirname, '../fixtures/plugin/CHANGELOG.md'), 'utf8'));
    const base = repo.commit('release 0.3.8');
    repo.tag('v0.3.8');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write(
      'CHANGELOG.md',
      readFileSync(join(repo.dir, 'CHANGELOG.md'), 'utf8').replace(
        '\n## [0.3.8]',
        '\n## [0.3.9]\n\n### Fixed\n* a fix\n\n## [0.3.8]',
      ),
    );
    repo.git('commit', '-qam', 'fix: a fix');
    return { repo, base };
  }

  const changelogRun = (dir: string, base: string, into: string) =>
    runAction('changelog', {
      inputs: { 'github-token': TOKEN },
      event: {
        ...pullRequestEvent,
        pull_request: { ...pullRequestEvent.pull_request, base: { ref: into, sha: base } },
      },
      env: { GITHUB_API_URL: api, GITHUB_EVENT_NAME: 'pull_request', GITHUB_WORKSPACE: dir },
    });

  it("asks for no label on a pull request into dev, and fails the plugin's old sections nowhere", async () => {
    const { repo, base } = pluginFeature();
    github.route('GET', /\/pulls\/7$/, () => ({ status: 200, body: pullWithLabels('documentation') }));
    const dev = await changelogRun(repo.dir, base, 'dev');
    expect(dev.status, dev.stdout).toBe(0);
    expect(dev.stdout).toContain(
      '::notice title=Changelog - older section (reported only),file=CHANGELOG.md,line=107::a second "### Added" in 0.2.4',
    );
    expect(dev.stdout).not.toContain('::error');
    const main = await changelogRun(repo.dir, base, 'main');
    expect(main.status).toBe(1);
    expect(main.stdout).toContain(
      '::error title=Changelog,file=CHANGELOG.md,line=1::no release label (labels: documentation)',
    );
  });

  it('checks the version on a labelled pull request into main', async () => {
    const { repo, base } = pluginFeature();
    github.route('GET', /\/pulls\/7$/, () => ({ status: 200, body: pullWithLabels('patch') }));
    const run = await changelogRun(repo.dir, base, 'main');
    expect(run.status, run.stdout).toBe(0);
    expect(run.outputs).toEqual({ 'expected-version': '0.3.9', failures: '0' });
  });
});

describe('a shallow checkout', () => {
  it('fails labeled-pr in one line instead of naming a wrong next version', async () => {
    const repo = TestRepo.tagged('v0.3.8');
    const shallow = repo.shallowClone();
    github.route('GET', /^\/repos\/octo-org\/dtopsapp\/pulls\/7$/, () => ({
      status: 200,
      body: pullWithLabels('minor'),
    }));
    const run = await runAction('labeled-pr', {
      inputs: { 'github-token': TOKEN },
      event: pullRequestEvent,
      env: { GITHUB_API_URL: api, GITHUB_EVENT_NAME: 'pull_request', GITHUB_WORKSPACE: shallow },
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('is a shallow clone, which lacks the tags and history versions come from');
    expect(run.outputs['next-version']).toBeUndefined();
    const container = await runAction('container', {
      inputs: { image: 'localhost:5000/app' },
      env: { GITHUB_REF: 'refs/heads/dev', GITHUB_WORKSPACE: shallow },
    });
    expect(container.status).toBe(1);
    expect(container.stdout).toContain('is a shallow clone');
  });
});

describe('release action', () => {
  function mainWithMergedRelease(): { repo: TestRepo; merge: string } {
    const repo = TestRepo.create();
    repo.write('CHANGELOG.md', '# Changelog\n\n## [0.1.0]\n\n### Added\n\n- first\n');
    repo.commit('first');
    repo.tag('v0.1.0');
    repo.write(
      'CHANGELOG.md',
      '# Changelog\n\n## [0.2.0]\n\n### Added\n\n- faster packaging\n\n## [0.1.0]\n\n### Added\n\n- first\n',
    );
    const merge = repo.commit('Merge pull request #9 from octo-org/dev');
    return { repo, merge };
  }

  function routes(merge: string, state: { tag: string | null; release: boolean }) {
    github
      .route('GET', new RegExp(`/commits/${merge}/pulls$`), () => ({
        status: 200,
        body: fixture('commit-pulls', { MERGE_SHA: merge }),
      }))
      .route('GET', /\/git\/ref\/tags\/v0\.2\.0$/, () =>
        state.tag
          ? {
              status: 200,
              body: {
                ref: 'refs/tags/v0.2.0',
                object: { type: 'tag', sha: '940bd336248efae0f9ee5bc7b2d5c985887b16ac' },
              },
            }
          : { status: 404, body: fixture('not-found') },
      )
      .route('GET', /\/git\/tags\/940bd336248efae0f9ee5bc7b2d5c985887b16ac$/, () => ({
        status: 200,
        body: fixture('create-tag', { MERGE_SHA: state.tag ?? merge, TAG: 'v0.2.0', MESSAGE: 'Release v0.2.0' }),
      }))
      .route('POST', /\/git\/tags$/, () => ({
        status: 201,
        body: fixture('create-tag', { MERGE_SHA: merge, TAG: 'v0.2.0', MESSAGE: 'Release v0.2.0' }),
      }))
      .route('POST', /\/git\/refs$/, () => {
        state.tag = merge;
        return { status: 201, body: fixture('create-ref', { REF: 'refs/tags/v0.2.0' }) };
      })
      .route('GET', /\/releases\/tags\/v0\.2\.0$/, () =>
        state.release
          ? { status: 200, body: fixture('release', { TAG: 'v0.2.0', NAME: 'x', BODY: 'old' }) }
          : { status: 404, body: fixture('not-found') },
      )
      .route('POST', /\/releases$/, () => {
        state.release = true;
        return {
          status: 201,
          body: fixture('release', { TAG: 'v0.2.0', NAME: 'DockerizedTopsApp v0.2.0', BODY: 'notes' }),
        };
      })
      .route('PATCH', /\/releases\/1$/, () => ({
        status: 200,
        body: fixture('release', { TAG: 'v0.2.0', NAME: 'DockerizedTopsApp v0.2.0', BODY: 'notes' }),
      }));
  }

  const env = (repo: TestRepo, merge: string) => ({
    GITHUB_API_URL: api,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SHA: merge,
    GITHUB_WORKSPACE: repo.dir,
  });

  it("tags the merged pull request's commit and publishes the changelog section as the release notes", async () => {
    const { repo, merge } = mainWithMergedRelease();
    const state = { tag: null as string | null, release: false };
    routes(merge, state);
    const run = await runAction('release', {
      inputs: { 'github-token': TOKEN, 'release-name-prefix': 'DockerizedTopsApp' },
      env: env(repo, merge),
    });
    expect(run.stdout).not.toContain('::error');
    expect(run.status).toBe(0);
    expect(run.outputs).toMatchObject({
      released: 'true',
      tag: 'v0.2.0',
      version: '0.2.0',
      'release-url': 'https://github.com/octo-org/dtopsapp/releases/tag/v0.2.0',
    });
    const tagRequest = github.requests.find((r) => r.method === 'POST' && r.path.endsWith('/git/tags'))!;
    expect(tagRequest.body).toEqual({ tag: 'v0.2.0', message: 'Release v0.2.0', object: merge, type: 'commit' });
    const releaseRequest = github.requests.find((r) => r.method === 'POST' && r.path.endsWith('/releases'))!;
    expect(releaseRequest.body).toEqual({
      tag_name: 'v0.2.0',
      name: 'DockerizedTopsApp v0.2.0',
      body: '### Added\n\n- faster packaging',
      prerelease: false,
    });
    expect(github.calls()).toEqual([
      `GET /repos/octo-org/dtopsapp/commits/${merge}/pulls`,
      'GET /repos/octo-org/dtopsapp/git/ref/tags/v0.2.0',
      'POST /repos/octo-org/dtopsapp/git/tags',
      'POST /repos/octo-org/dtopsapp/git/refs',
      'GET /repos/octo-org/dtopsapp/releases/tags/v0.2.0',
      'POST /repos/octo-org/dtopsapp/releases',
    ]);
  });

  it('is idempotent: a re-run after a concurrent run tagged the commit updates the release instead of duplicating it', async () => {
    const { repo, merge } = mainWithMergedRelease();
    const state = { tag: merge as string | null, release: true };
    routes(merge, state);
    const run = await runAction('release', { inputs: { 'github-token': TOKEN }, env: env(repo, merge) });
    expect(run.status).toBe(0);
    expect(github.calls().filter((c) => c.startsWith('POST'))).toEqual([]);
    expect(github.calls()).toContain('PATCH /repos/octo-org/dtopsapp/releases/1');
  });

  it('does nothing on a commit that already carries its version tag', async () => {
    const { repo, merge } = mainWithMergedRelease();
    repo.tag('v0.2.0');
    routes(merge, { tag: merge, release: true });
    const run = await runAction('release', { inputs: { 'github-token': TOKEN }, env: env(repo, merge) });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`::notice::${merge.slice(0, 7)} is already released as v0.2.0`);
    expect(run.outputs).toEqual({ released: 'false', tag: 'v0.2.0' });
    expect(github.calls()).toEqual([`GET /repos/octo-org/dtopsapp/commits/${merge}/pulls`]);
  });

  it('refuses a tag that exists on another commit', async () => {
    const { repo, merge } = mainWithMergedRelease();
    routes(merge, { tag: 'f'.repeat(40), release: false });
    const run = await runAction('release', { inputs: { 'github-token': TOKEN }, env: env(repo, merge) });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('::error::tag v0.2.0 already exists on fffffff, not on');
  });

  it('creates nothing in a dry run, and nothing when the changelog lacks the version', async () => {
    const { repo, merge } = mainWithMergedRelease();
    routes(merge, { tag: null, release: false });
    const dry = await runAction('release', {
      inputs: { 'github-token': TOKEN, 'dry-run': 'true' },
      env: env(repo, merge),
    });
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('::notice::dry run: would tag');
    expect(github.calls().filter((c) => !c.startsWith('GET'))).toEqual([]);

    repo.write('CHANGELOG.md', '# Changelog\n\n## [0.1.0]\n\n### Added\n\n- first\n');
    repo.git('commit', '-qam', 'oops');
    const head = repo.head();
    routes(head, { tag: null, release: false });
    const missing = await runAction('release', { inputs: { 'github-token': TOKEN }, env: env(repo, head) });
    expect(missing.status).toBe(1);
    expect(missing.stdout).toContain(
      '::error::CHANGELOG.md has no section "## [0.2.0]" (the version label minor of #9 releases): nothing was tagged; a re-run of this commit cannot change that, so merge a pull request labelled minor that adds the section (it releases 0.2.0)',
    );
    expect(github.calls().filter((c) => !c.startsWith('GET'))).toEqual([]);
  });
});

describe('container action (tag computation step)', () => {
  it('outputs the dev version, references and OCI labels for the develop branch', async () => {
    const repo = TestRepo.tagged('v0.2.1');
    const run = await runAction('container', {
      inputs: { image: 'ghcr.io/Octo-Org/DTopsApp', licenses: 'Apache-2.0' },
      env: { GITHUB_REF: 'refs/heads/dev', GITHUB_WORKSPACE: repo.dir },
    });
    expect(run.status).toBe(0);
    const dev = `0.2.2.dev1_g${repo.head().slice(0, 9)}`;
    expect(run.outputs.tags).toBe(`ghcr.io/octo-org/dtopsapp:${dev}\nghcr.io/octo-org/dtopsapp:test`);
    expect(run.outputs.labels).toContain(`org.opencontainers.image.revision=${repo.head()}`);
    expect(run.outputs.labels).toContain('org.opencontainers.image.source=https://github.com/octo-org/dtopsapp');
    expect(run.outputs.version).toBe(dev.replace('_', '+'));
  });

  it('accepts a registry with a port, and refuses a name with a tag', async () => {
    const repo = TestRepo.create();
    repo.commit('first');
    const local = await runAction('container', {
      inputs: { image: 'localhost:5000/app' },
      env: { GITHUB_REF: 'refs/heads/dev', GITHUB_WORKSPACE: repo.dir },
    });
    expect(local.status, local.stdout).toBe(0);
    expect(local.outputs.tags!.split('\n')).toContain('localhost:5000/app:test');
    const tagged = await runAction('container', {
      inputs: { image: 'ghcr.io/o/r:latest' },
      env: { GITHUB_REF: 'refs/heads/dev', GITHUB_WORKSPACE: repo.dir },
    });
    expect(tagged.status).toBe(1);
    expect(tagged.stdout).toContain('::error::input image: an image name without tag or digest');
  });
});

describe('action inputs', () => {
  it('are validated, every problem naming its input', async () => {
    const run = await runAction('release', {
      inputs: { 'github-token': TOKEN, 'dry-run': 'maybe', labels: 'major, minor' },
      env: { GITHUB_API_URL: api },
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      '::error::input dry-run: expected true or false; input labels: list the 4 label names, in the order major, minor, patch, bumpless',
    );
    expect(github.requests).toEqual([]);
  });
});
