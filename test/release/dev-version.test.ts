import { describe, expect, it } from 'vitest';
import { Git } from '../../src/io/git.js';
import {
  dockerTagOf,
  guessNextVersion,
  isValidDockerTag,
  setuptoolsScmVersion,
} from '../../src/release/dev-version.js';
import { tagVersion } from '../../src/release/version-tags.js';
import { formatPep440, parsePep440 } from '../../src/release/pep440.js';
import { devVersionIn } from '../../src/release/workspace.js';
import { TestRepo } from '../helpers/gitdir.js';

const TODAY = new Date('2026-11-24T15:00:00Z');

describe('setuptools_scm versions (guess-next-dev + node-and-date), without Python', () => {
  // Outputs of setuptools_scm 10.3.4 (guess-next-dev, node-and-date) for these repository states, recorded by hand.
  it.each([
    [{ tag: 'v0.2.1', distance: 0, commit: 'aaaaaaaaa', dirty: false }, '0.2.1'],
    [{ tag: 'v0.2.1', distance: 148, commit: '324ae4555f00', dirty: false }, '0.2.2.dev148+g324ae4555'],
    [{ tag: 'v0.2.1', distance: 148, commit: '324ae4555f00', dirty: true }, '0.2.2.dev148+g324ae4555.d20261124'],
    [{ tag: 'v1.2.3', distance: 0, commit: '5f3c01887aa', dirty: true }, '1.2.4.dev0+g5f3c01887.d20261124'],
    [{ tag: '2.0.0b1', distance: 1, commit: '0a3aab9ea12', dirty: false }, '2.0.0b2.dev1+g0a3aab9ea'],
    [{ tag: 'v2.0.0.post1', distance: 1, commit: '3c86ead1c99', dirty: false }, '2.0.0.post2.dev1+g3c86ead1c'],
    [{ tag: null, distance: 1, commit: 'ec8f815ab77', dirty: false }, '0.1.dev1+gec8f815ab'],
  ])('%o → %s', (head, expected) => {
    expect(setuptoolsScmVersion(head, { today: TODAY })).toBe(expected);
  });

  it('writes the docker form the way the original workflows did, and the legacy 7-digit hash on request', () => {
    const version = setuptoolsScmVersion(
      { tag: 'v0.2.1', distance: 148, commit: 'ab75888c1d2e', dirty: false },
      { today: TODAY, hashLength: 7 },
    );
    expect(version).toBe('0.2.2.dev148+gab75888');
    expect(dockerTagOf(version)).toBe('0.2.2.dev148_gab75888');
    expect(isValidDockerTag(dockerTagOf(version))).toBe(true);
    expect(isValidDockerTag('1!2.0')).toBe(false);
  });

  it('normalises tags like packaging.version and bumps the last number', () => {
    expect(tagVersion('v0.3.0rc1')).toBe('0.3.0rc1');
    expect(tagVersion('release-1.2')).toBe('1.2');
    expect(tagVersion('V2.0.0-rc.1')).toBe('2.0.0rc1');
    expect(() => tagVersion('latest')).toThrow('tag "latest" names no version');
    expect(guessNextVersion('0.0')).toBe('0.1');
    expect(guessNextVersion('1.0.0.dev0')).toBe('1.0.0');
    expect(formatPep440(parsePep440('1.0-Alpha.2.post-3.DEV4+Ubuntu-1')!)).toBe('1.0a2.post3.dev4+ubuntu.1');
  });
});

describe('gunw version on real repositories', () => {
  it('follows a repository from no tag, to a tag, to commits after it, to a dirty tree', async () => {
    const repo = TestRepo.create();
    const git = new Git(repo.dir);
    repo.commit('first');
    const untagged = await devVersionIn(git, { today: TODAY });
    expect(untagged.version).toBe(`0.1.dev1+g${repo.head().slice(0, 9)}`);
    repo.tag('v0.2.1');
    expect((await devVersionIn(git, { today: TODAY })).version).toBe('0.2.1');
    repo.commit('second');
    repo.commit('third');
    expect((await devVersionIn(git, { today: TODAY })).version).toBe(`0.2.2.dev2+g${repo.head().slice(0, 9)}`);
    repo.write('file.txt', 'edited\n');
    const dirty = await devVersionIn(git, { today: TODAY });
    expect(dirty.version).toBe(`0.2.2.dev2+g${repo.head().slice(0, 9)}.d20261124`);
    expect(dirty.dockerTag).toBe(`0.2.2.dev2_g${repo.head().slice(0, 9)}.d20261124`);
    // Untracked files do not make a tree dirty.
    repo.git('checkout', '--', 'file.txt');
    repo.write('untracked.txt', 'x');
    expect((await devVersionIn(git, { today: TODAY })).version).toBe(`0.2.2.dev2+g${repo.head().slice(0, 9)}`);
  });

  it('finds a staged change dirty, with and without a tag', async () => {
    const repo = TestRepo.create();
    const git = new Git(repo.dir);
    repo.commit('first');
    repo.write('file.txt', 'staged\n');
    repo.git('add', 'file.txt');
    expect((await devVersionIn(git, { today: TODAY })).version).toBe(`0.1.dev1+g${repo.head().slice(0, 9)}.d20261124`);
    repo.git('commit', '-q', '-m', 'second');
    repo.tag('v1.0.0');
    expect((await devVersionIn(git, { today: TODAY })).version).toBe('1.0.0');
    repo.write('file.txt', 'staged again\n');
    repo.git('add', 'file.txt');
    const staged = await devVersionIn(git, { today: TODAY });
    expect(staged.version).toBe(`1.0.1.dev0+g${repo.head().slice(0, 9)}.d20261124`);
    expect(staged.head).toEqual({ tag: 'v1.0.0', distance: 0, commit: repo.head(), dirty: true });
  });

  it('counts lightweight tags, as setuptools_scm does', async () => {
    const repo = TestRepo.create();
    repo.commit('one');
    repo.tag('v0.3.0rc1');
    repo.commit('two');
    repo.tag('v0.3.0', false);
    expect((await devVersionIn(new Git(repo.dir), { today: TODAY })).version).toBe('0.3.0');
  });

  it('says clearly when the directory is not a repository', async () => {
    await expect(devVersionIn(new Git('/'), { today: TODAY })).rejects.toThrow(
      /\/ is not a git repository \(pass --repo DIR of a clone\)/,
    );
  });
});
