import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitHubRepo } from '../../src/io/github.js';
import { Git } from '../../src/io/git.js';
import { parseChangelog } from '../../src/release/changelog/parse.js';
import { releaseNotes } from '../../src/release/changelog/rules.js';
import { isImageName } from '../../src/release/container.js';
import { decideBump } from '../../src/release/labels.js';
import { planRelease } from '../../src/release/plan.js';
import {
  checkChangelogIn,
  containerTagsIn,
  devVersionIn,
  planReleaseIn,
  ShallowCloneError,
} from '../../src/release/workspace.js';
import { TestRepo } from '../helpers/gitdir.js';

/** What a project adopting the release flow brings: the plugin's real history of tags and its real changelog. */

const PLUGIN_CHANGELOG = readFileSync(join(import.meta.dirname, '../fixtures/plugin/CHANGELOG.md'), 'utf8');
const GUNW = join(import.meta.dirname, '../../lib/cli/gunw.js');
const TODAY = new Date('2026-12-04T12:00:00Z');

function gunw(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [GUNW, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** main at v0.3.8 with the plugin's CHANGELOG.md, and a feature branch ready for a pull request. */
function pluginRepo(): { repo: TestRepo; base: string } {
  const repo = TestRepo.create();
  repo.write('CHANGELOG.md', PLUGIN_CHANGELOG);
  const base = repo.commit('release 0.3.8');
  repo.tag('v0.3.8');
  repo.git('checkout', '-q', '-b', 'feature');
  return { repo, base };
}

const withSection = (text: string, section: string) => text.replace('\n## [0.3.8]', `\n${section}\n## [0.3.8]`);

describe("the plugin's own CHANGELOG.md", () => {
  it('passes a pull request that adds a good section, and reports the old problems as notices only', async () => {
    const { repo } = pluginRepo();
    repo.write(
      'CHANGELOG.md',
      withSection(PLUGIN_CHANGELOG, '## [0.3.9]\n\n### Fixed\n* The burst ramps are geocoded\n'),
    );
    repo.git('commit', '-qam', 'fix: geocode the burst ramps');
    const result = await checkChangelogIn(
      new Git(repo.dir),
      { path: 'CHANGELOG.md', text: readFileSync(join(repo.dir, 'CHANGELOG.md'), 'utf8') },
      { labels: ['patch'], base: 'main' },
    );
    expect(result.failures).toEqual([]);
    expect(result.notices.map((n) => n.code).sort()).toEqual([
      'duplicate-section',
      'empty-version',
      'section-level',
      'section-level',
      'unknown-section',
    ]);
    // Without a base nothing is known about the pull request: the whole file is checked, as before.
    const whole = await checkChangelogIn(
      new Git(repo.dir),
      { path: 'CHANGELOG.md', text: readFileSync(join(repo.dir, 'CHANGELOG.md'), 'utf8') },
      { labels: ['patch'] },
    );
    expect(whole.failures.length).toBe(5);

    const cli = gunw(repo.dir, ['changelog', 'check', '--label', 'patch', '--base', 'main']);
    expect(cli.status).toBe(0);
    expect(cli.stdout).toBe('CHANGELOG.md: ok; 0.3.9 is on top\n');
    expect(cli.stderr).toContain(
      'CHANGELOG.md:107: notice (not changed by this pull request): a second "### Added" in 0.2.4 (merge it with line 93)',
    );
  });

  it('fails what the pull request adds or edits, and the top version against the label', async () => {
    const { repo } = pluginRepo();
    repo.write(
      'CHANGELOG.md',
      withSection(PLUGIN_CHANGELOG, '## [0.3.9]\n\n### Updated\n* something\n').replace(
        '### Fixed\n* Uses dem-stitcher>=v2.3.0',
        '### Fixed\n* Uses dem-stitcher >= v2.3.0',
      ),
    );
    repo.git('commit', '-qam', 'docs: changelog');
    const cli = gunw(repo.dir, ['changelog', 'check', '--label', 'minor', '--base', 'main']);
    expect(cli.status).toBe(1);
    const lines = cli.stdout.trim().split('\n');
    expect(lines).toEqual([
      'CHANGELOG.md:8: label minor releases 0.4.0, but the newest version is 0.3.9 (line 8): add "## [0.4.0]" above it with this pull request\'s changes',
      'CHANGELOG.md:10: unknown change type "Updated" (use "Changed"); use one of Added, Changed, Deprecated, Removed, Fixed, Security',
    ]);
    // Editing an old section makes its problems this pull request's.
    repo.write(
      'CHANGELOG.md',
      PLUGIN_CHANGELOG.replace(
        '* Ensures that correct (i.e. enough) DEM',
        '* Ensures that the correct (i.e. enough) DEM',
      ),
    );
    repo.git('commit', '-qam', 'docs: typo');
    const edited = gunw(repo.dir, ['changelog', 'check', '--label', 'bumpless', '--base', 'main']);
    expect(edited.status).toBe(1);
    expect(edited.stdout).toContain('is a change section at level 2 (write "### Fixed" inside a version)');
  });

  it('gives every line of a version as its notes, up to the next version heading', () => {
    const doc = parseChangelog(PLUGIN_CHANGELOG);
    const notes = releaseNotes(doc, '0.2.2')!;
    expect(notes.split('\n')).toHaveLength(22);
    expect(notes).toContain('## Fixed\n* Ensures that when Solid Earth Tide or Ionosphere is added');
    expect(
      notes.endsWith(
        '* Differentiates `gunw_geo` (and bounds) for DEM acquisition and `processing_geo` for ISCE2 for frame job submission.',
      ),
    ).toBe(true);
    expect(releaseNotes(doc, 'v0.1.0')).toMatch(/^\S/);
  });

  it.each([
    ['## [0.5.0](https://github.com/o/r/compare/v0.4.0...v0.5.0) (2024-01-05)'],
    ['## [0.5.0] 2024-01-05'],
    ['## [0.5.0] - 2024-01-05'],
  ])('reads the version heading %s', (heading) => {
    const doc = parseChangelog(`# Changelog\n\n${heading}\n\n### Added\n\n- one\n\n## [0.4.0]\n\n### Fixed\n\n- two\n`);
    expect(doc.versions[0]).toMatchObject({ name: '0.5.0', date: '2024-01-05' });
    expect(releaseNotes(doc, '0.5.0')).toBe('### Added\n\n- one');
  });
});

describe('versions that agree with each other', () => {
  it('refuses a shallow clone in one line instead of planning from missing tags', async () => {
    const repo = TestRepo.tagged('v0.3.8');
    const shallow = repo.shallowClone();
    await expect(planReleaseIn(new Git(shallow), ['minor'])).rejects.toBeInstanceOf(ShallowCloneError);
    await expect(devVersionIn(new Git(shallow), { today: TODAY })).rejects.toThrow(
      /is a shallow clone, which lacks the tags and history versions come from: fetch them \(git fetch --unshallow --tags, or actions\/checkout with fetch-depth: 0\)/,
    );
    for (const args of [
      ['version'],
      ['release', 'plan', '-l', 'minor'],
      ['container', 'tags', '--ref', 'refs/heads/dev'],
    ]) {
      const run = gunw(shallow, args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stdout).toBe('');
    }
  });

  it('reads tags with or without v, and pre-releases, the same way in gunw version and gunw release plan', async () => {
    const repo = TestRepo.tagged('0.3.8');
    const git = new Git(repo.dir);
    expect((await devVersionIn(git, { today: TODAY })).version.startsWith('0.3.9.dev1+g')).toBe(true);
    expect(await planReleaseIn(git, ['minor'])).toMatchObject({
      currentTag: '0.3.8',
      nextVersion: '0.4.0',
      nextTag: 'v0.4.0',
    });
    repo.tag('v0.4.0-rc.1');
    repo.commit('three');
    expect((await devVersionIn(git, { today: TODAY })).version.startsWith('0.4.0rc2.dev1+g')).toBe(true);
    const plan = await planReleaseIn(git, ['patch']);
    expect(plan).toMatchObject({ currentTag: 'v0.4.0-rc.1', nextTag: 'v0.4.0' });
    expect(plan.notes).toContain('v0.4.0-rc.1 is a pre-release: patch releases 0.4.0');
    expect(
      planRelease(['v0.2.1', 'v2.0', 'nightly', 'release-candidate-3-final'], decideBump(['patch'])).nextVersion,
    ).toBe('2.0.1');
  });

  it('names a tag that is not a version in one line, exit 2', () => {
    const repo = TestRepo.tagged('v0.3.8');
    repo.tag('release-candidate-3-final');
    const run = gunw(repo.dir, ['version']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'error: tag "release-candidate-3-final" names no version (versions come from tags like v1.2.3); rename or delete it, e.g. git tag -d "release-candidate-3-final"\n',
    );
  });

  it('stamps a dirty tree with SOURCE_DATE_EPOCH when it is set, as setuptools_scm does', () => {
    const repo = TestRepo.create();
    repo.commit('one');
    repo.tag('v0.3.8');
    repo.write('file.txt', 'changed\n');
    const epoch = String(Date.UTC(2024, 0, 5, 23, 0) / 1000);
    expect(gunw(repo.dir, ['version'], { SOURCE_DATE_EPOCH: epoch }).stdout).toMatch(
      /^0\.3\.9\.dev0\+g[0-9a-f]{9}\.d20240105\n$/,
    );
    const bad = gunw(repo.dir, ['version'], { SOURCE_DATE_EPOCH: 'yesterday' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(
      'error: SOURCE_DATE_EPOCH "yesterday" is not a whole number of seconds since 1970-01-01 (unset it or fix it)\n',
    );
  });

  it('builds a tag ref only at that tag, with its version, and refuses a ref that does not match HEAD', async () => {
    const repo = TestRepo.tagged('v0.3.9');
    repo.tag('v0.4.0-rc.1');
    repo.tag('v0.4.0');
    const git = new Git(repo.dir);
    const build = (ref: string) =>
      containerTagsIn(git, { ref, image: 'ghcr.io/o/r', created: TODAY }, { today: TODAY });
    expect((await build('refs/tags/v0.4.0-rc.1')).tags).toEqual(['0.4.0rc1']);
    expect((await build('refs/tags/v0.4.0')).tags).toEqual(['0.4.0', 'latest']);
    await expect(build('refs/tags/v0.3.9')).rejects.toThrow(
      /--ref refs\/tags\/v0\.3\.9: tag v0\.3\.9 points at [0-9a-f]{9}, not at HEAD [0-9a-f]{9} \(check out the tag first\)/,
    );
    await expect(build('refs/tags/v9.9.9')).rejects.toThrow('--ref refs/tags/v9.9.9: no tag v9.9.9 in');
    const cli = gunw(repo.dir, ['container', 'tags', '--ref', 'refs/tags/v0.3.9']);
    expect(cli.status).toBe(2);
  });

  it('accepts every valid registry host:port in an image name, and nothing else', () => {
    for (const name of [
      'localhost:5000/app',
      'localhost/app',
      'ghcr.io/ACCESS-Cloud-Based-InSAR/DockerizedTopsApp',
      'registry.example.com:443/a/b-c/d__e',
      '[::1]:5000/app',
      'app',
      '127.0.0.1:5000/x.y',
    ]) {
      expect(isImageName(name), name).toBe(true);
    }
    for (const name of [
      'ghcr.io/o/r:latest',
      'ghcr.io/o/r@sha256:abc',
      'app:',
      '-app',
      'a//b',
      'ghcr.io/o/-r',
      'with space/x',
      '',
    ]) {
      expect(isImageName(name), name).toBe(false);
    }
  });
});

describe('changelog draft', () => {
  it('leaves out a feature together with the revert that cancels it', () => {
    const repo = TestRepo.create();
    repo.commit('one');
    repo.tag('v0.3.8');
    repo.commit('feat: tide layers', 'tides.txt');
    const kept = repo.commit('feat: browse image', 'browse.txt');
    repo.git('revert', '--no-edit', 'HEAD~1');
    repo.commit('fix: ramp sign');
    expect(gunw(repo.dir, ['changelog', 'draft']).stdout).toBe(
      '## [Unreleased]\n\n### Added\n\n- browse image\n\n### Fixed\n\n- ramp sign\n',
    );
    expect(kept).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('service failures', () => {
  it('reports a closed port as unreachable, not as an HTTP 500', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const github = new GitHubRepo('ghs_x', 'o', 'r', `http://127.0.0.1:${port}`);
    await expect(github.pullRequest(7)).rejects.toThrow(
      `GitHub API: reading pull request #7 failed: cannot reach 127.0.0.1:${port} (ECONNREFUSED); check GITHUB_API_URL and the network`,
    );
  });
});
