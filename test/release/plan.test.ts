import { describe, expect, it } from 'vitest';
import { Git } from '../../src/io/git.js';
import { containerTags } from '../../src/release/container.js';
import { decideBump } from '../../src/release/labels.js';
import { planRelease } from '../../src/release/plan.js';
import { devVersionIn, planReleaseIn } from '../../src/release/workspace.js';
import { TestRepo } from '../helpers/gitdir.js';

describe('bump labels', () => {
  it.each([
    [['Major'], 'major'],
    [['MINOR', 'documentation'], 'minor'],
    [[' patch '], 'patch'],
  ])('%o → %s, matched case-insensitively, other labels ignored', (labels, bump) => {
    const decision = decideBump(labels);
    expect(decision).toMatchObject({ kind: 'release', bump });
  });

  it('treats bumpless as no release, and says what is wrong with missing or contradicting labels', () => {
    expect(decideBump(['Bumpless'])).toEqual({ kind: 'bumpless', label: 'bumpless' });
    expect(decideBump(['documentation'])).toEqual({
      kind: 'error',
      message: 'no release label (labels: documentation); add exactly one of: major, minor, patch, bumpless',
    });
    // One rule everywhere (the pull request check, the changelog check, the release, `gunw release plan`): several
    // labels are never resolved by picking one.
    expect(decideBump(['bumpless', 'patch'])).toEqual({
      kind: 'error',
      message: '2 release labels (patch, bumpless); keep exactly one of: major, minor, patch, bumpless',
    });
    expect(decideBump(['patch', 'major', 'minor'])).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/^3 release labels \(major, minor, patch\); keep exactly one/),
    });
  });
});

describe('release plans', () => {
  it('bumps the highest version tag (as setuptools_scm reads tags: v2.0 is 2.0.0)', () => {
    const plan = planRelease(['v0.2.1', 'v0.10.0', 'v0.9.9', 'v1.0.0-rc.1', 'nightly', 'v2.0'], decideBump(['minor']));
    expect(plan).toEqual({
      currentVersion: '2.0.0',
      currentTag: 'v2.0',
      bump: 'minor',
      release: true,
      nextVersion: '2.1.0',
      nextTag: 'v2.1.0',
      notes: [],
      error: null,
    });
  });

  it('starts from 0.0.0 without tags, and says so', () => {
    expect(planRelease([], decideBump(['minor']))).toMatchObject({
      nextTag: 'v0.1.0',
      notes: ['no version tag is reachable from HEAD; the first release bumps from 0.0.0'],
    });
    expect(planRelease([], decideBump(['major'])).nextTag).toBe('v1.0.0');
  });

  it('counts tags reachable from HEAD only, lightweight or annotated, across merges', async () => {
    const repo = TestRepo.create();
    repo.commit('one');
    repo.tag('v0.1.0');
    repo.git('checkout', '-q', '-b', 'dev');
    repo.commit('feature');
    repo.tag('v0.2.0', false);
    repo.git('checkout', '-q', 'main');
    repo.commit('hotfix', 'hotfix.txt');
    repo.git('checkout', '-q', '-b', 'experiment');
    repo.commit('experiment', 'x.txt');
    repo.tag('v9.0.0');
    repo.git('checkout', '-q', 'main');
    const git = new Git(repo.dir);
    expect((await planReleaseIn(git, ['patch'])).nextTag).toBe('v0.1.1');
    repo.git('merge', '-q', '--no-ff', 'dev', '-m', 'merge dev');
    expect((await planReleaseIn(git, ['patch'])).nextTag).toBe('v0.2.1');
  });
});

describe('a long history', () => {
  it('plans and versions correctly on 5,000 commits with 10 tags', async () => {
    const repo = TestRepo.create().bulkHistory(5000, 500);
    repo.git('reset', '-q', '--hard', 'HEAD~3');
    const git = new Git(repo.dir);
    expect(await planReleaseIn(git, ['minor'])).toMatchObject({ currentTag: 'v0.9.0', nextTag: 'v0.10.0' });
    const version = await devVersionIn(git, { today: new Date('2026-11-24T00:00:00Z') });
    expect(version.version).toBe(`0.9.1.dev497+g${repo.head().slice(0, 9)}`);
  });
});

describe('container tags', () => {
  const base = {
    commit: 'ab75888c1d2e3f',
    created: new Date('2026-11-24T10:11:12Z'),
    image: 'ghcr.io/ACCESS-Cloud-Based-InSAR/DockerizedTopsApp',
  };

  it('tags develop builds with the dev version and test', () => {
    const result = containerTags({ ...base, ref: 'refs/heads/dev', version: '0.2.2.dev148+gab75888' });
    expect(result.tags).toEqual(['0.2.2.dev148_gab75888', 'test']);
    expect(result.references).toEqual([
      'ghcr.io/access-cloud-based-insar/dockerizedtopsapp:0.2.2.dev148_gab75888',
      'ghcr.io/access-cloud-based-insar/dockerizedtopsapp:test',
    ]);
  });

  it('tags release tags (and the release branch at a tag) with the version and latest, never an untagged main', () => {
    expect(containerTags({ ...base, ref: 'refs/tags/v0.3.9', version: '0.3.9' }).tags).toEqual(['0.3.9', 'latest']);
    expect(containerTags({ ...base, ref: 'refs/heads/main', version: '0.3.9' }).tags).toEqual(['0.3.9', 'latest']);
    const untagged = containerTags({ ...base, ref: 'refs/heads/main', version: '0.3.9.dev1+gab75888' });
    expect(untagged).toMatchObject({ kind: 'release-untagged', tags: ['0.3.9.dev1_gab75888'] });
    expect(untagged.notes[0]).toMatch(/latest is applied when the release tag is built/);
    expect(containerTags({ ...base, ref: 'refs/tags/v1.0.0rc1', version: '1.0.0rc1' }).tags).toEqual(['1.0.0rc1']);
  });

  it('tags pull requests with pr-N only, and writes the OCI labels', () => {
    const result = containerTags({
      ...base,
      ref: 'refs/pull/42/merge',
      version: '0.3.9.dev2+gab75888',
      metadata: { title: 'DockerizedTopsApp', source: 'https://github.com/o/r', licenses: 'Apache-2.0' },
    });
    expect(result.tags).toEqual(['pr-42']);
    expect(result.labels).toEqual({
      'org.opencontainers.image.version': '0.3.9.dev2+gab75888',
      'org.opencontainers.image.revision': 'ab75888c1d2e3f',
      'org.opencontainers.image.created': '2026-11-24T10:11:12.000Z',
      'org.opencontainers.image.source': 'https://github.com/o/r',
      'org.opencontainers.image.url': 'https://github.com/o/r',
      'org.opencontainers.image.title': 'DockerizedTopsApp',
      'org.opencontainers.image.licenses': 'Apache-2.0',
    });
  });
});
