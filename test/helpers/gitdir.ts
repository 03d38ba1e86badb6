import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './tmp.js';

/**
 * Real git repositories in temp dirs for the release tests. Dates and identity are fixed so commit hashes are
 * reproducible run to run.
 */
export class TestRepo {
  private clock = 1_700_000_000;

  constructor(readonly dir: string) {}

  static create(branch = 'main'): TestRepo {
    const dir = tempDir('gunw-git-');
    const repo = new TestRepo(dir);
    repo.git('init', '-q', '-b', branch);
    return repo;
  }

  /** A repository with one commit tagged `tag` and `after` commits on top of it. */
  static tagged(tag: string, after = 1): TestRepo {
    const repo = TestRepo.create();
    repo.commit('one');
    repo.tag(tag);
    for (let i = 0; i < after; i++) repo.commit(`after ${tag} ${i + 1}`);
    return repo;
  }

  git(...args: string[]): string {
    this.clock += 60;
    const date = `${this.clock} +0000`;
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Test',
        GIT_AUTHOR_EMAIL: 'test@example.invalid',
        GIT_COMMITTER_NAME: 'Test',
        GIT_COMMITTER_EMAIL: 'test@example.invalid',
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
        GIT_CONFIG_NOSYSTEM: '1',
        HOME: this.dir,
      },
    }).trim();
  }

  write(path: string, text: string): this {
    writeFileSync(join(this.dir, path), text);
    return this;
  }

  commit(message: string, file = 'file.txt'): string {
    this.write(file, `${message}\n${this.clock}\n`);
    this.git('add', '-A');
    this.git('commit', '-q', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  tag(name: string, annotated = true): this {
    if (annotated) this.git('tag', '-a', name, '-m', `release ${name}`);
    else this.git('tag', name);
    return this;
  }

  /** Append `count` commits quickly (git fast-import), an annotated tag v0.N.0 every `tagEvery` commits. */
  bulkHistory(count: number, tagEvery: number): this {
    let stream = '';
    for (let i = 1; i <= count; i++) {
      const message = `fix: change ${i}\n`;
      const content = `line ${i}\n`;
      stream += `commit refs/heads/main\nmark :${i}\ncommitter Test <test@example.invalid> ${1_600_000_000 + i} +0000\ndata ${message.length}\n${message}`;
      if (i > 1) stream += `from :${i - 1}\n`;
      stream += `M 644 inline file.txt\ndata ${content.length}\n${content}\n`;
      if (i % tagEvery === 0) {
        const tagMessage = `release ${i / tagEvery}\n`;
        stream += `tag v0.${i / tagEvery}.0\nfrom :${i}\ntagger Test <test@example.invalid> ${1_600_000_000 + i} +0000\ndata ${tagMessage.length}\n${tagMessage}\n`;
      }
    }
    execFileSync('git', ['fast-import', '--quiet'], { cwd: this.dir, input: stream });
    this.git('checkout', '-q', '-f', 'main');
    return this;
  }

  /** A `--depth 1` clone of this repository (what actions/checkout makes without fetch-depth: 0). */
  shallowClone(): string {
    const clone = join(tempDir('gunw-shallow-'), 'clone');
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${this.dir}`, clone]);
    return clone;
  }

  head(): string {
    return this.git('rev-parse', 'HEAD');
  }
}
