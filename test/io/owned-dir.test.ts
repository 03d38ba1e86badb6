import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { MANIFEST, OwnedFiles, writeOwnedDirectory } from '../../src/io/owned-dir.js';
import { writeSamplePair, type WrittenSample } from '../../src/sample/write.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * A directory the user names may only lose what gunw wrote there: every writer that fills or replaces a directory
 * refuses one holding anything else, and replaces only its own earlier output.
 */
const GUNW = join(import.meta.dirname, '../../lib/cli/gunw.js');
const ISCE2_TOPSAPP = join(import.meta.dirname, '../../lib/cli/isce2-topsapp.js');
const dir = tempDir('gunw-owned-');

function run(cli: string, args: string[], cwd = dir): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GUNW_DEBUG: '' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every file below `root` with its bytes, to show that nothing was lost or changed. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string, prefix: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(at, entry.name), `${prefix}${entry.name}/`);
      else out[`${prefix}${entry.name}`] = readFileSync(join(at, entry.name)).toString('base64');
    }
  };
  walk(root, '');
  return out;
}

let sample: WrittenSample;
beforeAll(async () => {
  sample = await writeSamplePair(join(dir, 'sample'), 'regressed', { rows: 40, cols: 50 });
});

describe('gunw diff --report-dir never destroys what the user owns', () => {
  it('refuses a directory holding the input products, naming what it holds, and leaves it untouched', () => {
    const work = join(dir, 'work');
    mkdirSync(work);
    copyFileSync(sample.reference, join(work, 'a.nc'));
    copyFileSync(sample.candidate, join(work, 'b.nc'));
    const before = snapshot(work);
    for (const reportDir of [work, '.']) {
      const result = run(GUNW, ['diff', 'a.nc', 'b.nc', '--report-dir', reportDir], work);
      expect(result.status).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(
        /--report-dir .*: holds files gunw did not write \(a\.nc, b\.nc\); choose a new or empty directory/,
      );
      expect(snapshot(work)).toEqual(before);
    }
  });

  it('writes into a new or empty directory, and replaces its own earlier report (stale maps included)', () => {
    const report = join(dir, 'report');
    mkdirSync(report);
    expect(run(GUNW, ['diff', sample.reference, sample.candidate, '--report-dir', report]).status).toBe(1);
    const first = readdirSync(join(report, 'maps'));
    expect(first.length).toBeGreaterThan(0);
    // A passing comparison has no maps: the old ones are the project's and go.
    expect(run(GUNW, ['diff', sample.reference, sample.reference, '--report-dir', report]).status).toBe(0);
    expect(existsSync(join(report, 'maps'))).toBe(false);
    expect(JSON.parse(readFileSync(join(report, 'report.json'), 'utf8')).verdict).toBe('pass');
  });

  it('refuses its own report directory once the user added a file or changed one, keeping both', () => {
    const report = join(dir, 'report-touched');
    expect(run(GUNW, ['diff', sample.reference, sample.candidate, '--report-dir', report]).status).toBe(1);
    writeFileSync(join(report, 'notes.txt'), 'mine');
    let result = run(GUNW, ['diff', sample.reference, sample.reference, '--report-dir', report]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('notes.txt');
    expect(readFileSync(join(report, 'notes.txt'), 'utf8')).toBe('mine');

    const edited = join(dir, 'report-edited');
    expect(run(GUNW, ['diff', sample.reference, sample.candidate, '--report-dir', edited]).status).toBe(1);
    writeFileSync(join(edited, 'report.md'), '# my edited notes\n');
    result = run(GUNW, ['diff', sample.reference, sample.reference, '--report-dir', edited]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('report.md');
    expect(readFileSync(join(edited, 'report.md'), 'utf8')).toBe('# my edited notes\n');
  });
});

describe('the manifest of written files', () => {
  it('ignores names that point outside the directory, and claims a file only while its size and time match', () => {
    const root = join(dir, 'manifest');
    const outside = join(dir, 'outside.txt');
    writeFileSync(outside, 'keep me');
    writeOwnedDirectory(root, '--out', (staging) => writeFileSync(join(staging, 'a.txt'), 'ours'));
    const manifest = JSON.parse(readFileSync(join(root, MANIFEST), 'utf8'));
    manifest.files['../outside.txt'] = { size: 7, mtimeMs: 0 };
    writeFileSync(join(root, MANIFEST), JSON.stringify(manifest));
    const owned = new OwnedFiles(root, '--out');
    expect(owned.owns('a.txt')).toBe(true);
    expect(owned.owns('../outside.txt')).toBe(false);
    expect(() => owned.claim('../outside.txt')).toThrow(UsageError);
    writeOwnedDirectory(root, '--out', (staging) => writeFileSync(join(staging, 'b.txt'), 'new'));
    expect(readFileSync(outside, 'utf8')).toBe('keep me');
    expect(readdirSync(root).sort()).toEqual([MANIFEST, 'b.txt']);
    // Same size, other time: no longer the file the project wrote.
    utimesSync(join(root, 'b.txt'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect(new OwnedFiles(root, '--out').owns('b.txt')).toBe(false);
    expect(() => writeOwnedDirectory(root, '--out', () => undefined)).toThrow(
      /holds files gunw did not write \(b\.txt\)/,
    );
  });

  it('leaves no staging directory behind when writing fails, and the old content in place', () => {
    const root = join(dir, 'failing');
    writeOwnedDirectory(root, '--out', (staging) => writeFileSync(join(staging, 'old.txt'), 'old'));
    expect(() =>
      writeOwnedDirectory(root, '--out', (staging) => {
        writeFileSync(join(staging, 'half.txt'), 'half');
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(readdirSync(root).sort()).toEqual([MANIFEST, 'old.txt']);
  });
});

describe('every --out refuses a directory that holds the user’s files', () => {
  it('gunw sample, isce2_topsapp sample and isce2_topsapp package', () => {
    const mine = join(dir, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'thesis.tex'), 'years of work');
    for (const [cli, args] of [
      [GUNW, ['sample', '--out', mine]],
      [ISCE2_TOPSAPP, ['sample', '--out', mine]],
    ] as const) {
      const result = run(cli, [...args]);
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr).toMatch(/--out .*mine: holds files gunw did not write \(thesis\.tex\)/);
    }
    expect(snapshot(mine)).toEqual({ 'thesis.tex': Buffer.from('years of work').toString('base64') });
    const isce = join(dir, 'isce');
    expect(run(ISCE2_TOPSAPP, ['sample', '--out', isce]).status).toBe(0);
    const delivery = join(dir, 'delivery');
    expect(run(ISCE2_TOPSAPP, ['package', '--isce-dir', isce, '--out', delivery]).status).toBe(0);
    const [id] = readdirSync(delivery).filter((n) => n.startsWith('S1-GUNW'));
    writeFileSync(join(delivery, id!, 'README.txt'), 'my notes');
    const again = run(ISCE2_TOPSAPP, ['package', '--isce-dir', isce, '--out', delivery]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('README.txt');
    expect(readFileSync(join(delivery, id!, 'README.txt'), 'utf8')).toBe('my notes');
  });
});
