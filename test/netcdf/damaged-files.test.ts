import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runLineTasks } from '../helpers/line-tasks.js';
import { makeMutants, type Mutant, type Target } from '../helpers/mutants.js';
import { tempDir } from '../helpers/tmp.js';
import { hasPythonModules, PYTHON } from '../helpers/tools.js';

/**
 * The damaged-file rules (issue #12): over more than a thousand damaged copies of three small products, one per
 * HDF5 layout, `gunw diff` never gives a verdict on a file HDF5 (h5py) refuses, never reads values other than
 * HDF5's, never fails as a bug (exit 3), never hangs, and stays under 1 GB of memory.
 */
const FIXTURES = join(import.meta.dirname, '../fixtures/hdf5_mutation.py');
const RUNNER = join(import.meta.dirname, '../helpers/damaged-file-runner.mjs');
const BUILT = join(import.meta.dirname, '../../lib/cli/gunw-program.js');
const canRun = hasPythonModules('h5py', 'netCDF4', 'numpy');
const dir = tempDir('gunw-damaged-');

interface Judgement {
  readonly status: 'ok' | 'error' | 'too-big' | 'hang' | 'crash';
  readonly numeric?: Record<string, string>;
  readonly error?: string;
}

interface Ours {
  readonly status?: 'hang' | 'crash';
  readonly read: {
    readonly status: 'ok' | 'refused' | 'crashed';
    readonly numeric?: Record<string, string>;
    readonly error?: string;
  };
  readonly diff: { readonly code: number; readonly stderr: string };
  readonly rssMb: number;
}

const mutants: Mutant[] = [];
const originals = new Map<string, string>();
let judged = new Map<number, Record<string, unknown>>();
let ours = new Map<number, Record<string, unknown>>();

beforeAll(async () => {
  if (!canRun) return;
  expect(existsSync(BUILT), 'run `npm run build` first (npm test does)').toBe(true);
  const bases = join(dir, 'bases');
  const made = spawnSync(PYTHON, [FIXTURES, 'bases', bases], { encoding: 'utf8' });
  expect(made.status, made.stderr).toBe(0);
  const targets = JSON.parse(readFileSync(join(bases, 'targets.json'), 'utf8')) as Record<string, Target[]>;
  const out = join(dir, 'mutants');
  mkdirSync(out);
  let seed = 12;
  for (const [name, list] of Object.entries(targets)) {
    originals.set(name, join(bases, name));
    mutants.push(...makeMutants(join(bases, name), name, list, out, seed++));
  }
  const tasks = mutants.map((m, i) => ({ i, path: m.path }));
  judged = await runLineTasks(PYTHON, [FIXTURES, 'judge'], tasks, 60_000);
  ours = await runLineTasks(
    process.execPath,
    [RUNNER],
    mutants.map((m, i) => ({ i, original: originals.get(m.base)!, damaged: m.path })),
    60_000,
  );
}, 900_000);

function describeMutant(i: number): string {
  const m = mutants[i]!;
  return `${m.base} #${i} ${m.kind} (${m.detail})`;
}

describe.skipIf(!canRun)('gunw diff on damaged HDF5 files', () => {
  it('makes more than a thousand damaged files, of every kind, that HDF5 both reads and refuses', () => {
    expect(mutants.length).toBeGreaterThanOrEqual(1000);
    const statuses = new Set([...judged.values()].map((j) => j.status));
    expect(statuses).toContain('ok');
    expect(statuses).toContain('error');
  });

  it('never fails as a bug (exit 3), never crashes or hangs', () => {
    const bad: string[] = [];
    for (let i = 0; i < mutants.length; i++) {
      const result = ours.get(i) as unknown as Ours;
      if (result.status) bad.push(`${describeMutant(i)}: ${result.status}`);
      else if (result.diff.code === 3 || result.read.status === 'crashed')
        bad.push(`${describeMutant(i)}: exit ${result.diff.code} ${result.diff.stderr || result.read.error}`);
    }
    expect(bad).toEqual([]);
  });

  it('gives no verdict on a file HDF5 refuses, and refuses it in one line naming the file', () => {
    const bad: string[] = [];
    for (let i = 0; i < mutants.length; i++) {
      const judgement = judged.get(i) as unknown as Judgement;
      const result = ours.get(i) as unknown as Ours;
      if (judgement.status === 'ok' || result.status) continue;
      if (result.diff.code !== 2)
        bad.push(
          `${describeMutant(i)}: HDF5 ${judgement.status} (${judgement.error ?? ''}) but exit ${result.diff.code}`,
        );
      else if (result.diff.stderr.trimEnd().split('\n').length !== 1 || !result.diff.stderr.includes(mutants[i]!.path))
        bad.push(`${describeMutant(i)}: message ${JSON.stringify(result.diff.stderr)}`);
    }
    expect(bad).toEqual([]);
  });

  it('gives a verdict only on values that are exactly what HDF5 reads', () => {
    const bad: string[] = [];
    for (let i = 0; i < mutants.length; i++) {
      const judgement = judged.get(i) as unknown as Judgement;
      const result = ours.get(i) as unknown as Ours;
      if (result.status || result.diff.code === 2 || judgement.status !== 'ok') continue;
      if (result.read.status !== 'ok') {
        bad.push(`${describeMutant(i)}: verdict although our reader ${result.read.status}: ${result.read.error}`);
        continue;
      }
      for (const [path, hash] of Object.entries(result.read.numeric!)) {
        if (judgement.numeric![path] !== hash) bad.push(`${describeMutant(i)}: ${path} differs from what HDF5 reads`);
      }
    }
    expect(bad).toEqual([]);
  });

  // HDF5 releases differ (h5py here reads with Debian's 1.10, h5wasm carries 1.14), so a few files h5py reads are
  // refused by h5wasm, and refusing is allowed; but where only this project's direct reader objected, HDF5 has the
  // last word. 62 were refused before that fallback, 31 after (the rest: h5wasm's own refusals, damaged object
  // headers, shuffle parameters no HDF5 wrote).
  it('compares nearly every file HDF5 reads in full', () => {
    const refused = mutants.flatMap((_, i) => {
      const judgement = judged.get(i) as unknown as Judgement;
      const result = ours.get(i) as unknown as Ours;
      return judgement.status === 'ok' && result.diff.code === 2
        ? [`${describeMutant(i)}: ${result.diff.stderr.trim()}`]
        : [];
    });
    expect(refused.length, refused.join('\n')).toBeLessThanOrEqual(31);
  });

  it('stays under 1 GB of memory on every damaged file', () => {
    const over = mutants.flatMap((_, i) => {
      const rss = (ours.get(i) as unknown as Ours).rssMb ?? 0;
      return rss >= 1024 ? [`${describeMutant(i)}: ${rss} MB`] : [];
    });
    expect(over).toEqual([]);
  });
});
