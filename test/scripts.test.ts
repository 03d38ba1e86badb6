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

/** The files one project of vitest.config.ts runs, as vitest lists them (run the way npm runs scripts: sh -c). */
function projectFiles(project: string): string[] {
  const listed = spawnSync('sh', ['-c', `npx vitest list --filesOnly --project ${project}`], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
  expect(listed.status, listed.stderr).toBe(0);
  return listed.stdout
    .split('\n')
    .map((line) => line.replace(/^\[\w+\]\s*/, '').trim())
    .filter((line) => line.endsWith('.test.ts'))
    .sort();
}

describe('npm scripts', () => {
  it('test:fast, test:cli and test:slow split every test file between them, once each; npm test runs all', () => {
    // Each builds first, as `npm test` does: some tests of every group run the built lib/.
    for (const group of ['fast', 'cli', 'slow'])
      expect(scripts[`test:${group}`]).toBe(`npm run build --silent && vitest run --project ${group}`);
    expect(scripts.test).toMatch(/&& vitest run$/);
    const [fast, cli, slow] = [projectFiles('fast'), projectFiles('cli'), projectFiles('slow')];
    expect(fast.length).toBeGreaterThan(40);
    expect(fast.some((f) => f.startsWith('test/cli/'))).toBe(false);
    expect(fast).not.toContain('test/netcdf/damaged-files.test.ts');
    expect(cli.every((f) => f.startsWith('test/cli/'))).toBe(true);
    expect([...fast, ...cli, ...slow].sort()).toEqual(testFiles(join(root, 'test')).sort());
  }, 120_000);
});

describe('the kernel benchmark', () => {
  it('checks each kernel against its scalar peer before timing either, and prints their ratios', () => {
    // Run on the built library, as `npm run bench` runs it; a kernel whose call drifted from its peer stops it.
    const run = spawnSync(process.execPath, ['scripts/bench-kernels.mjs', '--pixels', '8192', '--runs', '1'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\| value statistics \+ histogram of abs\(Δ\) \| [\d.]+ \| [\d.]+ \| [\d.]+ \|/);
    expect(run.stdout).toContain('| unshuffle float32 → float64 |');
  });
});
