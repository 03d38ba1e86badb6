import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { OwnedFiles, writeOwnedDirectory } from '../../src/io/owned-dir.js';
import { MANIFEST } from '../../src/io/owned-manifest.js';
import { writeSamplePair, type WrittenSample } from '../../src/sample/write.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * A directory the user names may only lose what the command itself created in that run: every writer that fills a
 * directory refuses one holding the user's files, leaves gunw's other output there alone, and replaces an earlier
 * run's output of its own kind only when the user says so (--overwrite).
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

  it('writes its report beside the products a sample wrote there, which it compared, and keeps them', () => {
    const g1 = join(dir, 'g1');
    expect(run(GUNW, ['sample', '--out', g1, '--kind', 'regressed', '--rows', '40', '--cols', '50']).status).toBe(0);
    const products = snapshot(g1);
    delete products[MANIFEST];
    const result = run(GUNW, ['diff', join(g1, 'reference.nc'), join(g1, 'candidate.nc'), '--report-dir', g1]);
    expect(result.status, result.stderr).toBe(1);
    const after = snapshot(g1);
    for (const [name, bytes] of Object.entries(products)) expect(after[name], name).toBe(bytes);
    expect(existsSync(join(g1, 'report.json'))).toBe(true);
    // A second sample into the same directory would replace the first: only with --overwrite, and the report stays.
    const again = run(GUNW, ['sample', '--out', g1, '--rows', '40', '--cols', '50']);
    expect(again.status).toBe(2);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/holds the sample pair of an earlier run .*; pass --overwrite to replace it/);
    expect(snapshot(g1)).toEqual(after);
    expect(run(GUNW, ['sample', '--out', g1, '--rows', '40', '--cols', '50', '--overwrite']).status).toBe(0);
    expect(readFileSync(join(g1, 'report.json'), 'utf8')).toBe(Buffer.from(after['report.json']!, 'base64').toString());
  });

  it('replaces an earlier report only with --overwrite, then with no stale map left', () => {
    const report = join(dir, 'report');
    mkdirSync(report);
    expect(run(GUNW, ['diff', sample.reference, sample.candidate, '--report-dir', report]).status).toBe(1);
    const first = readdirSync(join(report, 'maps'));
    expect(first.length).toBeGreaterThan(0);
    const before = snapshot(report);
    const refused = run(GUNW, ['diff', sample.reference, sample.reference, '--report-dir', report]);
    expect(refused.status).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/--report-dir .*: holds the report of an earlier run \(.*\); pass --overwrite/);
    // Refused before comparing: nothing was written.
    expect(refused.stdout).toBe('');
    expect(snapshot(report)).toEqual(before);
    // A passing comparison has no maps: the earlier report's go with it.
    expect(run(GUNW, ['diff', sample.reference, sample.reference, '--report-dir', report, '--overwrite']).status).toBe(
      0,
    );
    expect(existsSync(join(report, 'maps'))).toBe(false);
    expect(JSON.parse(readFileSync(join(report, 'report.json'), 'utf8')).verdict).toBe('pass');
  });

  it('refuses its own report directory once the user added a file or changed one, keeping both', () => {
    const report = join(dir, 'report-touched');
    expect(run(GUNW, ['diff', sample.reference, sample.candidate, '--report-dir', report]).status).toBe(1);
    writeFileSync(join(report, 'notes.txt'), 'mine');
    let result = run(GUNW, ['diff', sample.reference, sample.reference, '--report-dir', report, '--overwrite']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('notes.txt');
    expect(readFileSync(join(report, 'notes.txt'), 'utf8')).toBe('mine');

    const edited = join(dir, 'report-edited');
    expect(run(GUNW, ['diff', sample.reference, sample.candidate, '--report-dir', edited]).status).toBe(1);
    writeFileSync(join(edited, 'report.md'), '# my edited notes\n');
    result = run(GUNW, ['diff', sample.reference, sample.reference, '--report-dir', edited, '--overwrite']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('report.md');
    expect(readFileSync(join(edited, 'report.md'), 'utf8')).toBe('# my edited notes\n');
  });

  it('never removes files that merely look like its temporary files', () => {
    const report = join(dir, 'lookalikes');
    mkdirSync(report);
    const names = ['x.nc.gunw-partial', 'x.nc.gunw-parts', 'x.nc.gunw-partial-7', '.gunw-staging-1-0'];
    for (const name of names) writeFileSync(join(report, name), 'mine');
    const before = snapshot(report);
    const result = run(GUNW, ['diff', sample.reference, sample.candidate, '--report-dir', report, '--overwrite']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/holds files gunw did not write/);
    expect(snapshot(report)).toEqual(before);
  });

  it('refuses bad output paths in one line, at once', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    for (const [path, message] of [
      ['/dev/null/x', /inside \/dev, not a place for files/],
      ['/proc/x', /inside \/proc, not a place for files/],
      [join(file, 'below'), /cannot be made a directory \(.*a-file is a file\)/],
      [join(dir, 'x'.repeat(300)), /the name is too long/],
    ] as const) {
      for (const args of [
        ['diff', sample.reference, sample.candidate, '--report-dir', path],
        ['sample', '--out', path],
      ]) {
        const result = run(GUNW, args);
        expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(2);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.stderr).toMatch(message);
      }
    }
  });
});

describe('the manifest of written files', () => {
  const report = { set: 'report' };
  it('ignores names that point outside the directory, and claims a file only while its size and time match', () => {
    const root = join(dir, 'manifest');
    const outside = join(dir, 'outside.txt');
    writeFileSync(outside, 'keep me');
    writeOwnedDirectory(root, '--out', report, (staging) => writeFileSync(join(staging, 'a.txt'), 'ours'));
    const manifest = JSON.parse(readFileSync(join(root, MANIFEST), 'utf8'));
    manifest.files['../outside.txt'] = { size: 7, mtimeMs: 0 };
    writeFileSync(join(root, MANIFEST), JSON.stringify(manifest));
    const owned = new OwnedFiles(root, '--out');
    expect(owned.owns('a.txt')).toBe(true);
    expect(owned.owns('../outside.txt')).toBe(false);
    expect(() => owned.claim('../outside.txt', report)).toThrow(UsageError);
    writeOwnedDirectory(root, '--out', { ...report, overwrite: true }, (staging) =>
      writeFileSync(join(staging, 'b.txt'), 'new'),
    );
    expect(readFileSync(outside, 'utf8')).toBe('keep me');
    expect(readdirSync(root).sort()).toEqual([MANIFEST, 'b.txt']);
    // Same size, other time: no longer the file the project wrote.
    utimesSync(join(root, 'b.txt'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect(new OwnedFiles(root, '--out').owns('b.txt')).toBe(false);
    expect(() => writeOwnedDirectory(root, '--out', { ...report, overwrite: true }, () => undefined)).toThrow(
      /holds files gunw did not write \(b\.txt\)/,
    );
  });

  it('leaves no staging directory behind when writing fails, and the old content in place', () => {
    const root = join(dir, 'failing');
    writeOwnedDirectory(root, '--out', report, (staging) => writeFileSync(join(staging, 'old.txt'), 'old'));
    expect(() =>
      writeOwnedDirectory(root, '--out', { ...report, overwrite: true }, (staging) => {
        writeFileSync(join(staging, 'half.txt'), 'half');
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(readdirSync(root).sort()).toEqual([MANIFEST, 'old.txt']);
  });

  it('removes the staging directories of killed runs, and only those it recorded', () => {
    const root = join(dir, 'killed');
    const killed = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { ownedFiles } = await import(${JSON.stringify(join(import.meta.dirname, '../../lib/io/owned-dir.js'))});
         const writing = ownedFiles(${JSON.stringify(root)}, '--out').beginDirectory('', { set: 'report' });
         (await import('node:fs')).writeFileSync(writing.staging + '/half.txt', 'half');
         process.kill(process.pid, 'SIGKILL');`,
      ],
      { encoding: 'utf8' },
    );
    expect(killed.signal).toBe('SIGKILL');
    const left = readdirSync(root).filter((n) => n.startsWith('.gunw-staging-'));
    expect(left).toHaveLength(1);
    mkdirSync(join(root, '.gunw-staging-999999-0'));
    writeFileSync(join(root, '.gunw-staging-999999-0', 'mine.txt'), 'mine');
    new OwnedFiles(root, '--out');
    expect(readdirSync(root).sort()).toEqual(['.gunw-staging-999999-0', MANIFEST]);
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
    const again = run(ISCE2_TOPSAPP, ['package', '--isce-dir', isce, '--out', delivery, '--overwrite']);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('README.txt');
    expect(readFileSync(join(delivery, id!, 'README.txt'), 'utf8')).toBe('my notes');
  });

  it('packages from a --plan only what a plan may name: files inside the work directory, a real product ID', () => {
    const isce = join(dir, 'isce-plan');
    expect(run(ISCE2_TOPSAPP, ['sample', '--out', isce]).status).toBe(0);
    const plan = JSON.parse(readFileSync(join(isce, 'plan.json'), 'utf8'));
    const edited = join(dir, 'edited-plan.json');
    writeFileSync(
      edited,
      JSON.stringify({
        ...plan,
        productId: '../../escape',
        localize: { ...plan.localize, waterMask: { ...plan.localize.waterMask, file: '../../etc/passwd' } },
      }),
    );
    const out = join(dir, 'delivery-plan');
    const refused = run(ISCE2_TOPSAPP, ['package', '--isce-dir', isce, '--plan', edited, '--out', out]);
    expect(refused.status).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain(
      'productId: a GUNW product ID; localize.waterMask.file: a file name in the work directory',
    );
    expect(existsSync(out)).toBe(false);
  });
});
