import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TestRepo } from '../helpers/gitdir.js';

const GUNW = join(import.meta.dirname, '../../lib/cli/gunw.js');

function gunw(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [GUNW, ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const CHANGELOG = '# Changelog\n\n## [0.1.0]\n\n### Added\n\n- the first release\n';

function releasedRepo(): TestRepo {
  const repo = TestRepo.create();
  repo.write('CHANGELOG.md', CHANGELOG);
  repo.commit('feat: first release');
  repo.tag('v0.1.0');
  return repo;
}

describe('gunw release plan / version / container tags (built CLI, real git)', () => {
  it('plans the next release from labels, as text and as JSON', () => {
    const repo = releasedRepo();
    repo.commit('fix: something');
    const text = gunw(repo.dir, 'release', 'plan', '--label', 'Patch,documentation');
    expect(text.status).toBe(0);
    expect(text.stdout).toBe('current: v0.1.0\nnext:    v0.1.1 (patch)\n');
    const json = JSON.parse(gunw(repo.dir, 'release', 'plan', '-l', 'documentation', '-l', 'major', '--json').stdout);
    expect(json).toMatchObject({ currentTag: 'v0.1.0', nextTag: 'v1.0.0', bump: 'major', notes: [] });
    const two = gunw(repo.dir, 'release', 'plan', '-l', 'minor', '-l', 'major');
    expect(two.status).toBe(2);
    expect(two.stderr).toBe(
      'error: 2 release labels (major, minor); keep exactly one of: major, minor, patch, bumpless\n',
    );
  });

  it('exits 2 with one line when no release label is given', () => {
    const repo = releasedRepo();
    const run = gunw(repo.dir, 'release', 'plan', '--label', 'documentation');
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'error: no release label (labels: documentation); add exactly one of: major, minor, patch, bumpless\n',
    );
  });

  it('prints the setuptools_scm version and its docker form', () => {
    const repo = releasedRepo();
    repo.commit('fix: a');
    const hash = repo.head().slice(0, 9);
    expect(gunw(repo.dir, 'version').stdout).toBe(`0.1.1.dev1+g${hash}\n`);
    expect(gunw(repo.dir, 'version', '--docker').stdout).toBe(`0.1.1.dev1_g${hash}\n`);
    repo.write('CHANGELOG.md', `${CHANGELOG}\nedited\n`);
    expect(gunw(repo.dir, 'version', '--date', '2026-11-24').stdout).toBe(`0.1.1.dev1+g${hash}.d20261124\n`);
    expect(gunw(repo.dir, 'version', '--date', '24/11/2026').status).toBe(2);
  });

  it('computes image tags and OCI labels for a ref', () => {
    const repo = releasedRepo();
    const run = gunw(
      repo.dir,
      'container',
      'tags',
      '--ref',
      'refs/tags/v0.1.0',
      '--image',
      'ghcr.io/Owner/Repo',
      '--json',
      '--licenses',
      'Apache-2.0',
    );
    const result = JSON.parse(run.stdout);
    expect(result.references).toEqual(['ghcr.io/owner/repo:0.1.0', 'ghcr.io/owner/repo:latest']);
    expect(result.labels['org.opencontainers.image.revision']).toBe(repo.head());
    expect(result.labels['org.opencontainers.image.licenses']).toBe('Apache-2.0');
  });

  it('a repository that is not one is reported in one line with exit 2', () => {
    const run = gunw('/', 'version');
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('error: / is not a git repository (pass --repo DIR of a clone)\n');
  });
});

describe('gunw changelog (built CLI, real git)', () => {
  function featureBranch(): TestRepo {
    const repo = releasedRepo();
    repo.git('checkout', '-q', '-b', 'feature');
    repo.commit('feat: search');
    return repo;
  }

  it('passes a pull request that adds the version its label releases', () => {
    const repo = featureBranch();
    repo.write('CHANGELOG.md', CHANGELOG.replace('## [0.1.0]', '## [0.2.0]\n\n### Added\n\n- search\n\n## [0.1.0]'));
    repo.git('commit', '-qam', 'docs: changelog');
    const run = gunw(repo.dir, 'changelog', 'check', '--label', 'minor', '--base', 'main');
    expect(run.stdout).toBe('CHANGELOG.md: ok; 0.2.0 is on top\n');
    expect(run.status).toBe(0);
  });

  it('fails, with file:line and the fix, when the changelog was not updated or shows the wrong version', () => {
    const repo = featureBranch();
    const untouched = gunw(repo.dir, 'changelog', 'check', '--label', 'minor', '--base', 'main');
    expect(untouched.status).toBe(1);
    expect(untouched.stdout.split('\n').filter(Boolean)).toEqual([
      "CHANGELOG.md:1: not changed since main: describe this pull request's changes under the right heading (or label it bumpless)",
      'CHANGELOG.md:3: label minor releases 0.2.0, but the newest version is 0.1.0 (line 3): add "## [0.2.0]" above it with this pull request\'s changes',
    ]);
    expect(untouched.stderr).toBe('CHANGELOG.md: 2 problems (listed above)\n');
    expect(gunw(repo.dir, 'changelog', 'check', '--label', 'bumpless', '--base', 'main').status).toBe(0);
    const json = JSON.parse(gunw(repo.dir, 'changelog', 'check', '--label', 'patch', '--json').stdout);
    expect(json.expectation).toEqual({ kind: 'release', label: 'patch', nextVersion: '0.1.1' });
  });

  it('says in one line that a file which is no changelog is not one', () => {
    const repo = featureBranch();
    repo.write('notes.txt', 'shopping list\n- milk\n');
    repo.git('add', 'notes.txt');
    repo.git('commit', '-qm', 'docs: notes');
    const run = gunw(repo.dir, 'changelog', 'check', '--file', 'notes.txt', '--label', 'minor', '--base', 'main');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'error: notes.txt is not a changelog (no title and no "## [Unreleased]" or "## [x.y.z]" section); point --file at the project\'s Keep a Changelog file\n',
    );
  });

  it("prints one version's notes, and a draft from Conventional Commits", () => {
    const repo = featureBranch();
    repo.commit('fix(io)!: drop the old reader');
    repo.commit('chore: tidy');
    expect(gunw(repo.dir, 'changelog', 'notes', 'v0.1.0').stdout).toBe('### Added\n\n- the first release\n');
    const missing = gunw(repo.dir, 'changelog', 'notes', '0.9.0');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('error: CHANGELOG.md has no section for 0.9.0 (looked for "## [0.9.0]")\n');
    expect(gunw(repo.dir, 'changelog', 'draft').stdout).toBe(
      '## [Unreleased]\n\n### Added\n\n- search\n\n### Fixed\n\n- **Breaking:** io: drop the old reader\n',
    );
  });
});
