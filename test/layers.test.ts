import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The import direction of the package: edge (cli, actions) → domain → adapters. These are the rules a reviewer
 * asked for; each checks every source file, so a new file cannot break them unnoticed.
 */

const root = join(import.meta.dirname, '../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const files = sources(root).map((path) => ({ path: relative(root, path), text: readFileSync(path, 'utf8') }));
const importsOf = (text: string): string[] => [...text.matchAll(/(?:from|import\()\s*'([^']+)'/g)].map((m) => m[1]!);

describe('layers', () => {
  it('keeps the GitHub Actions toolkit inside the actions (a build-time dependency of their bundles)', () => {
    const users = files.filter((f) => importsOf(f.text).some((i) => i.startsWith('@actions/'))).map((f) => f.path);
    expect(users.every((p) => p.startsWith('actions/') || p === 'io/github.ts')).toBe(true);
    const githubUsers = files
      .filter((f) => importsOf(f.text).some((i) => i.endsWith('/io/github.js')))
      .map((f) => f.path);
    expect(githubUsers.every((p) => p.startsWith('actions/'))).toBe(true);
  });

  it('has commands import the exit codes, never the CLI entry module', () => {
    const offenders = files
      .filter((f) => f.path.startsWith('cli/commands/') && importsOf(f.text).some((i) => /\/main\.js$/.test(i)))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('keeps report writing out of the comparison domain', () => {
    expect(
      files
        .filter((f) => f.path.startsWith('compare/') && importsOf(f.text).some((i) => i.includes('/report/')))
        .map((f) => f.path),
    ).toEqual([]);
  });

  it('has no domain module read process.env, and adapters import no command', () => {
    const domain = ['product/', 'compare/', 'release/', 'packaging/', 'regression/', 'geometry/'];
    expect(
      files.filter((f) => domain.some((d) => f.path.startsWith(d)) && /process\.env/.test(f.text)).map((f) => f.path),
    ).toEqual([]);
    expect(
      files
        .filter((f) => f.path.startsWith('io/') && importsOf(f.text).some((i) => i.includes('/cli/')))
        .map((f) => f.path),
    ).toEqual([]);
  });
});
