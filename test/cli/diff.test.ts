import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { diffReportSchema, type DiffReport } from '../../src/compare/report-schema.js';
import { H5wasmProductReader } from '../../src/netcdf/h5wasm/reader.js';
import { writeSamplePair, type WrittenSample } from '../../src/sample/write.js';
import { DATA } from '../helpers/diff.js';
import { tempDir } from '../helpers/tmp.js';
import { hasPythonModules, PYTHON } from '../helpers/tools.js';

/** The built CLI (npm test builds first), run the way users and CI run it. */
const GUNW = join(import.meta.dirname, '../../lib/cli/gunw.js');
const dir = tempDir();

function gunw(args: string[], cwd = dir): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [GUNW, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GUNW_DEBUG: '' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let passing: WrittenSample;
let regressed: WrittenSample;

beforeAll(async () => {
  expect(existsSync(GUNW), 'run `npm run build` first (npm test does)').toBe(true);
  passing = await writeSamplePair(join(dir, 'passing'), 'passing');
  regressed = await writeSamplePair(join(dir, 'regressed'), 'regressed');
});

describe('gunw diff (built CLI)', () => {
  it('exits 0 on the passing sample and prints the text report', () => {
    const run = gunw(['diff', passing.reference, passing.candidate]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^gunw diff: PASS/);
    expect(run.stdout).toContain(
      `2π ambiguity: ${DATA}/unwrappedPhase component 4: +1·2π over ${passing.truth.cycleSlipPixels.toLocaleString('en-US')} px`,
    );
    expect(run.stderr).toBe('');
  });

  it('exits 1 on a regression and writes a JSON report that follows the published schema', () => {
    const run = gunw(['diff', regressed.reference, regressed.candidate, '--format', 'json']);
    expect(run.status).toBe(1);
    const report: DiffReport = diffReportSchema.parse(JSON.parse(run.stdout));
    expect(report.verdict).toBe('fail');
    const phase = report.layers.find((l) => l.path === `${DATA}/unwrappedPhase`)!;
    expect(phase.nanMismatch).toBe(regressed.truth.nanMismatchPixels);
    expect(report.layers.find((l) => l.path === `${DATA}/coherence`)!.exceeding).toBe(
      regressed.truth.coherenceShiftPixels,
    );
    expect(report.structure.onlyInReference).toEqual([{ kind: 'variable', path: `${DATA}/amplitude` }]);
  });

  it('writes every format, difference maps and index.html into --report-dir, and no secret anywhere', () => {
    const out = join(dir, 'report');
    const run = gunw(['diff', regressed.reference, regressed.candidate, '--report-dir', out, '--format', 'markdown']);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('### ❌ gunw diff: FAIL');
    expect(readdirSync(out).sort()).toEqual([
      '.gunw-written.json',
      'index.html',
      'junit.xml',
      'maps',
      'report.json',
      'report.md',
      'report.txt',
    ]);
    const maps = readdirSync(join(out, 'maps')).sort();
    expect(maps).toEqual(['science_grids_data_coherence.png', 'science_grids_data_unwrappedPhase.png']);
    for (const map of maps)
      expect(readFileSync(join(out, 'maps', map)).subarray(0, 8)).toEqual(
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      );
    const report = diffReportSchema.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')));
    expect(report.layers.find((l) => l.path === `${DATA}/coherence`)!.diffMap).toBe(
      'maps/science_grids_data_coherence.png',
    );
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('<img src="maps/science_grids_data_coherence.png"');
    const everything = [
      run.stdout,
      run.stderr,
      ...['index.html', 'junit.xml', 'report.json', 'report.md', 'report.txt'].map((f) =>
        readFileSync(join(out, f), 'utf8'),
      ),
    ];
    for (const text of everything) expect(text).not.toMatch(/hunter2/);
    expect(readdirSync(dir).some((name) => name.includes('.partial-'))).toBe(false);
  });

  it.skipIf(!hasPythonModules('xml.etree.ElementTree'))(
    'writes JUnit XML that an XML parser accepts, one test case per layer',
    () => {
      const run = gunw(['diff', regressed.reference, regressed.candidate, '--format', 'junit']);
      const file = join(dir, 'junit.xml');
      writeFileSync(file, run.stdout);
      const script = [
        'import sys, xml.etree.ElementTree as T',
        'r = T.parse(sys.argv[1]).getroot(); s = r.find("testsuite")',
        'print(r.get("tests"), r.get("failures"), len(s.findall("testcase")))',
        'print("|".join(c.get("name") for c in s.findall("testcase") if c.find("failure") is not None))',
      ].join('\n');
      const parsed = spawnSync(PYTHON, ['-c', script, file], { encoding: 'utf8' });
      expect(parsed.stderr).toBe('');
      const [counts, failedNames] = parsed.stdout.trim().split('\n');
      const [tests, failures, cases] = counts!.split(' ').map(Number);
      expect(cases).toBe(tests);
      expect(failedNames!.split('|')).toEqual([
        'structure',
        `${DATA}/unwrappedPhase`,
        `${DATA}/coherence`,
        'attributes',
        'provenance',
      ]);
      expect(failures).toBe(5);
      expect(tests).toBeGreaterThan(20);
    },
  );

  it('gives the same answer on worker threads as in one thread', () => {
    const strip = (text: string): unknown => ({ ...JSON.parse(text), elapsedSeconds: 0 });
    const one = gunw(['diff', regressed.reference, regressed.candidate, '--format', 'json', '--workers', '0']);
    const two = gunw(['diff', regressed.reference, regressed.candidate, '--format', 'json', '--workers', '2']);
    expect(strip(two.stdout)).toEqual(strip(one.stdout));
  });
});

describe('gunw diff on bad input: exit 2 and one line naming the file and the problem', () => {
  const expectOneLineError = (run: ReturnType<typeof gunw>, pattern: RegExp): void => {
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(pattern);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  };

  it('a missing file', () => {
    expectOneLineError(gunw(['diff', join(dir, 'nope.nc'), passing.candidate]), /^error: .*nope\.nc: file not found/);
  });

  it('a directory, or a device that would be read for ever', () => {
    expectOneLineError(gunw(['diff', dir, passing.candidate]), /: is a directory, expected a netCDF4\/HDF5 file/);
    expectOneLineError(
      gunw(['diff', '/dev/zero', passing.candidate]),
      /^error: \/dev\/zero: is not a regular file \(a device, pipe or socket\)/,
    );
  });

  it('a file that is not HDF5', () => {
    const text = join(dir, 'text.nc');
    writeFileSync(text, 'this is not a netCDF file\n');
    expectOneLineError(gunw(['diff', passing.reference, text]), /^error: .*text\.nc: not an HDF5\/netCDF4 file/);
  });

  it('a truncated file', () => {
    const cut = join(dir, 'cut.nc');
    writeFileSync(cut, readFileSync(passing.candidate).subarray(0, 40_000));
    expectOneLineError(gunw(['diff', passing.reference, cut]), /^error: .*cut\.nc: file is truncated/);
  });

  it('a layer whose stored data is corrupt', async () => {
    const broken = join(dir, 'corrupt.nc');
    copyFileSync(passing.candidate, broken);
    const reader = await H5wasmProductReader.open(broken);
    const source = reader.sourceFor(`${DATA}/coherence`);
    reader.close();
    if (source.kind !== 'chunks') throw new Error('expected chunked coherence');
    const bytes = readFileSync(broken);
    const at = source.table.addresses[0]! + 10;
    bytes.fill(0x55, at, at + 64);
    writeFileSync(broken, bytes);
    expectOneLineError(
      gunw(['diff', passing.reference, broken]),
      /^error: .*corrupt\.nc \(\/science\/grids\/data\/coherence\): damaged: stored data of chunk \[0, 0\]: deflate stream is damaged/,
    );
  });

  it('a bad tolerance profile, listing every problem', () => {
    const profile = join(dir, 'bad.yml');
    writeFileSync(profile, 'layers:\n  - match: "**/coherence"\n    abs: -1\n    tolerance: 3\n');
    const run = gunw(['diff', passing.reference, passing.candidate, '--profile', profile]);
    expectOneLineError(run, /^error: bad tolerance profile .*bad\.yml: layers\.0\.abs: .*; layers\.0: .*tolerance/);
  });

  it('an unknown option or a missing argument', () => {
    const unknown = gunw(['diff', passing.reference, passing.candidate, '--tolerance', '3']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--tolerance'");
    expect(gunw(['diff', passing.reference]).status).toBe(2);
  });
});

describe('gunw demo (the README quick start)', () => {
  it('packages the ISCE2 sample twice and passes the re-run, writing the delivery directories and the report', () => {
    const run = gunw(['demo', '--out', 'demo-rerun']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^gunw diff: PASS/);
    expect(run.stdout).toMatch(/unwrappedPhase\s+PASS/);
    const id = 'S1-GUNW-A-R-164-tops-20220212_20220131-222829-00071W_00047N-PP-3d6c-v3_0_1';
    expect(readdirSync(join(dir, 'demo-rerun', 'candidate', id)).sort()).toEqual([
      `${id}.json`,
      `${id}.nc`,
      `${id}.png`,
    ]);
    expect(existsSync(join(dir, 'demo-rerun', 'report', 'index.html'))).toBe(true);
  });

  it('fails the regressed run with exit 1, explaining the 2π jump', () => {
    const run = gunw(['demo', '--out', 'demo-regressed', '--kind', 'regressed']);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^gunw diff: FAIL/);
    expect(run.stdout).toContain('2π ambiguity: /science/grids/data/unwrappedPhase component 2: +1·2π');
  });

  it('says when it replaces an earlier demo, which it may (the files are its own)', () => {
    const again = gunw(['demo', '--out', 'demo-rerun', '--kind', 'regressed']);
    expect(again.status).toBe(1);
    expect(again.stderr.split('\n')[0]).toBe('replacing the earlier demo in demo-rerun/ (pass --out DIR to keep it)');
  });
});

describe('gunw --help and the helper commands', () => {
  it.each([
    ['--help'],
    ['diff', '--help'],
    ['sample', '--help'],
    ['demo', '--help'],
    ['profile', 'show', '--help'],
    ['schema', '--help'],
  ])('%s prints usage and exits 0', (...args) => {
    const run = gunw(args);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: gunw/);
  });

  it('documents exit codes and examples in diff --help', () => {
    expect(gunw(['diff', '--help']).stdout).toMatch(
      /Exit status: 0 when .* 1 when a regression is found, 2 on bad input/s,
    );
  });

  it('prints the built-in profile as YAML that loads back as a profile', () => {
    const run = gunw(['profile', 'show']);
    const file = join(dir, 'shown.yml');
    writeFileSync(file, run.stdout);
    const back = gunw(['diff', passing.reference, passing.candidate, '--profile', file, '--format', 'json']);
    expect(back.status).toBe(0);
    expect(JSON.parse(back.stdout).options.profile).toBe('gunw-default');
  });

  it('keeps docs/report.schema.json equal to what `gunw schema report` prints', () => {
    const run = gunw(['schema', 'report']);
    expect(run.status).toBe(0);
    const committed = readFileSync(join(import.meta.dirname, '../../docs/report.schema.json'), 'utf8');
    expect(committed, 'run `npm run schema` and commit docs/report.schema.json').toBe(run.stdout);
  });
});
