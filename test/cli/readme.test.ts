import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeSamplePair } from '../../src/sample/write.js';
import { TestRepo } from '../helpers/gitdir.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The README walked as a newcomer walks it: every command of its ```sh blocks is listed here, and each that can run
 * offline runs exactly as written through `sh`, with the bins on PATH the way `npm link` puts them there, and gets
 * the documented exit code and no "bug" message. A command added to the README without an entry here fails the
 * first test, so the README cannot drift from what works.
 */

const root = join(import.meta.dirname, '../..');

/** Every document a user reads commands from: the READMEs, CONTRIBUTING.md and docs/. */
const DOCUMENTS = [
  'README.md',
  'regression/README.md',
  'actions/README.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** The commands of the documents' sh blocks, once each: continuation lines joined, trailing comments removed. */
function readmeCommands(): string[] {
  return [...new Set(DOCUMENTS.flatMap((document) => shCommands(readFileSync(join(root, document), 'utf8'))))];
}

function shCommands(text: string): string[] {
  const commands: string[] = [];
  for (const block of text.matchAll(/^```sh\n([\s\S]*?)^```/gm)) {
    let pending = '';
    for (const raw of block[1]!.split('\n')) {
      const line = raw.replace(/\s+#\s.*$/, '').trimEnd();
      if (line.trim() === '' || line.trim().startsWith('#')) continue;
      if (line.endsWith('\\')) {
        pending += `${line.slice(0, -1).trim()} `;
        continue;
      }
      commands.push(`${pending}${line.trim()}`.replace(/\s+/g, ' '));
      pending = '';
    }
  }
  return commands;
}

type Setup = 'products' | 'sample-only' | 'sample-dir' | 'git' | 'none';
interface Entry {
  /** Why a command is not run here, when it is not. */
  readonly skip?: string;
  readonly setup?: Setup;
  /** Exit codes the README promises for this situation. */
  readonly exit?: readonly number[];
}

const NETWORK =
  'needs the network (ASF, Earthdata, GitHub raw); offline it must still exit 2 in one line, checked in test/cli/processor.test.ts';

/** Every README command, keyed by its text (a prefix is enough where the rest is scene names). */
const ENTRIES: [string, Entry][] = [
  ['npm ci && npm run demo', { skip: 'the quick start itself: .ci/run and test/cli/diff.test.ts run it' }],
  ['npm test', { skip: 'the test command itself' }],
  [
    'gunw sample --out pair && cp pair/reference.nc golden.nc && cp pair/candidate.nc new.nc',
    { setup: 'none', exit: [0] },
  ],
  ['gunw diff golden.nc new.nc', { setup: 'products', exit: [0] }],
  ['gunw diff golden.nc new.nc --format markdown >> "$GITHUB_STEP_SUMMARY"', { setup: 'products', exit: [0] }],
  ['gunw diff golden.nc new.nc --report-dir diff-report', { setup: 'products', exit: [0] }],
  // The sample pair carries a planted 2π jump, which --strict-phase counts as a failure.
  [
    'gunw diff golden.nc new.nc --profile regression/profiles/rerun.yml --strict-phase',
    { setup: 'products', exit: [1] },
  ],
  ['isce2_topsapp ++process gunw_slc --reference-date 2022-02-12', { skip: NETWORK }],
  ['isce2_topsapp ++process gunw_slc --frame-id 25502', { skip: NETWORK }],
  ['isce2_topsapp --json-input job.json --output-resolution 30', { skip: NETWORK }],
  [
    'isce2_topsapp ++process gunw_burst --reference-scene S1A_… --secondary-scene S1A_… --image-number 2 --burst-number 4',
    { skip: 'scene names elided (S1A_…); needs the network' },
  ],
  ['isce2_topsapp +h', { exit: [0] }],
  ['isce2_topsapp sample --out sample-isce', { exit: [0] }],
  ['isce2_topsapp package --isce-dir sample-isce --out delivery', { setup: 'sample-only', exit: [0] }],
  ['gunw diff delivery/S1-GUNW*/S1-GUNW*.nc delivery/S1-GUNW*/S1-GUNW*.nc', { setup: 'sample-dir', exit: [0] }],
  [
    'gunw regression run --cases regression/cases --candidates out/ --report-dir regression-report',
    { setup: 'products', exit: [0] },
  ],
  [
    'gunw regression run --cases regression/cases --hyp3 test --report-dir regression-report',
    { skip: 'makes candidates on HyP3: needs Earthdata Login and the network' },
  ],
  [
    'gunw regression compare reference.nc candidate.nc --report-dir out; gunw regression comment out',
    { setup: 'products', exit: [0] },
  ],
  [
    'gunw hyp3 submit|status --cases regression/cases [--hyp3 production|test|edc]',
    {
      skip: 'a synopsis of two commands, each needs HyP3 (test/regression/regression.test.ts runs them against a stand-in)',
    },
  ],
  [
    'gunw hyp3 download --cases regression/cases [--hyp3 production|test|edc] --out hyp3-products',
    { skip: 'a synopsis; needs HyP3 (test/regression/regression.test.ts runs it against a stand-in)' },
  ],
  ['gunw release plan --label minor', { setup: 'git', exit: [0] }],
  ['gunw changelog check --label minor --base origin/main', { setup: 'git', exit: [0] }],
  ['gunw changelog notes 0.4.0', { setup: 'git', exit: [0] }],
  ['gunw changelog draft', { setup: 'git', exit: [0] }],
  [
    'gunw version [--docker]',
    { skip: 'a synopsis: `gunw version` and `gunw version --docker` run in the release tests' },
  ],
  ['gunw container tags --ref refs/heads/dev --image ghcr.io/org/repo', { setup: 'git', exit: [0] }],
  [
    'gh label create',
    {
      skip: 'needs gh and a GitHub repository; test/actions/workflows.test.ts checks they are the four labels the actions read',
    },
  ],
];

function entryFor(command: string): Entry | undefined {
  return ENTRIES.find(
    ([key]) =>
      command === key || (command.startsWith(key) && (key.includes('++process gunw_slc') || key === 'gh label create')),
  )?.[1];
}

let bin: string;
let products: { reference: string; candidate: string };

beforeAll(async () => {
  // What `npm link` does: the package's bins on PATH, pointing at the built CLIs.
  bin = tempDir('gunw-readme-bin-');
  for (const [name, file] of [
    ['gunw', 'gunw.js'],
    ['isce2_topsapp', 'isce2-topsapp.js'],
  ] as const) {
    const target = join(root, 'lib/cli', file);
    chmodSync(target, 0o755);
    symlinkSync(target, join(bin, name));
  }
  products = await writeSamplePair(join(tempDir('gunw-readme-products-'), 'pair'), 'passing', { rows: 40, cols: 50 });
}, 60_000);

function workdir(setup: Setup): string {
  const dir = tempDir('gunw-readme-');
  if (setup === 'products') {
    copyFileSync(products.reference, join(dir, 'golden.nc'));
    copyFileSync(products.candidate, join(dir, 'new.nc'));
    copyFileSync(products.reference, join(dir, 'reference.nc'));
    copyFileSync(products.candidate, join(dir, 'candidate.nc'));
    cpSync(join(root, 'regression'), join(dir, 'regression'), { recursive: true });
    mkdirSync(join(dir, 'out'));
  }
  if (setup === 'sample-dir' || setup === 'sample-only') {
    const made = spawnSync(join(bin, 'isce2_topsapp'), ['sample', '--out', 'sample-isce'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(made.status, made.stderr).toBe(0);
  }
  if (setup === 'sample-dir') {
    const packaged = spawnSync(
      join(bin, 'isce2_topsapp'),
      ['package', '--isce-dir', 'sample-isce', '--out', 'delivery'],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(packaged.status, packaged.stderr).toBe(0);
  }
  if (setup === 'git') {
    // A project released at v0.3.8 (origin), and a clone with a feature branch whose changelog adds 0.4.0.
    const origin = TestRepo.tagged('v0.3.8', 0);
    origin.write('CHANGELOG.md', '# Changelog\n\n## [0.3.8]\n\n### Fixed\n\n- a fix\n');
    origin.git('add', '-A');
    origin.git('commit', '-qm', 'docs: changelog');
    origin.git('tag', '-f', '-a', 'v0.3.8', '-m', 'v0.3.8');
    const clone = new TestRepo(join(dir, 'clone'));
    spawnSync('git', ['clone', '-q', origin.dir, clone.dir]);
    clone.git('checkout', '-q', '-b', 'feature');
    clone.commit('feat: tide layers', 'tides.txt');
    clone.write(
      'CHANGELOG.md',
      '# Changelog\n\n## [0.4.0]\n\n### Added\n\n- tide layers\n\n## [0.3.8]\n\n### Fixed\n\n- a fix\n',
    );
    clone.git('commit', '-qam', 'docs: changelog for 0.4.0');
    return clone.dir;
  }
  return dir;
}

describe('the documentation, walked', () => {
  it('classifies every command of the sh blocks of every document (a new command needs an entry here)', () => {
    expect(readmeCommands().length).toBeGreaterThan(20);
    const unknown = readmeCommands().filter((c) => entryFor(c) === undefined);
    expect(unknown).toEqual([]);
  });

  const runnable = readmeCommands().filter((c) => entryFor(c)?.skip === undefined);

  it.each(runnable)(
    '%s',
    (command) => {
      const entry = entryFor(command)!;
      const cwd = workdir(entry.setup ?? 'none');
      const summary = join(cwd, 'step-summary.md');
      if (!existsSync(summary)) writeFileSync(summary, '');
      const run = spawnSync('sh', ['-c', command], {
        cwd,
        encoding: 'utf8',
        env: { PATH: `${bin}:${process.env.PATH}`, HOME: cwd, GITHUB_STEP_SUMMARY: summary, LC_ALL: 'C' },
      });
      expect(entry.exit, `${command}\n${run.stderr}`).toContain(run.status);
      expect(`${run.stdout}${run.stderr}`).not.toMatch(/a bug in gunw|internal error/);
    },
    60_000,
  );
});
