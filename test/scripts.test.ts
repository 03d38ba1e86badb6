import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
  .scripts;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? testFiles(join(dir, e.name))
      : e.name.endsWith('.test.ts')
        ? [relative(root, join(dir, e.name))]
        : [],
  );
}

describe('npm scripts', () => {
  it('test:fast runs every test file but the CLI ones (the glob reaches vitest, not the shell)', () => {
    expect(scripts['test:fast']).toMatch(/^vitest run /);
    // The script run the way npm runs it (sh -c), with vitest listing the files instead of running them.
    const listed = spawnSync(
      'sh',
      ['-c', scripts['test:fast']!.replace(/^vitest run/, 'npx vitest list --filesOnly')],
      { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'true' } },
    );
    expect(listed.status, listed.stderr).toBe(0);
    const files = listed.stdout
      .split('\n')
      .filter((l) => l.endsWith('.test.ts'))
      .sort();
    const expected = testFiles(join(root, 'test'))
      .filter((f) => !f.startsWith('test/cli/'))
      .sort();
    expect(files).toEqual(expected);
  }, 60_000);
});
