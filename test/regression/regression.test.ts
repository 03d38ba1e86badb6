import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { Hyp3Client } from '../../src/io/hyp3.js';
import { loadCases } from '../../src/regression/case.js';
import { findCandidate } from '../../src/regression/files.js';
import { sha256Of as sha256File } from '../../src/io/download.js';
import { hyp3Candidates, jobName } from '../../src/regression/hyp3-candidates.js';
import { concurrency, runRegression, type RegressionReport } from '../../src/regression/run.js';
import { COMMENT_MARKER, writeRegressionReports } from '../../src/regression/summary.js';
import { writeSamplePair, type WrittenSample } from '../../src/sample/write.js';
import { Hyp3Simulation, TOKEN } from '../helpers/hyp3-server.js';
import { fileService } from '../helpers/services.js';
import { tempDir } from '../helpers/tmp.js';

const ID = 'S1-GUNW-A-R-164-tops-20220212_20220131-222829-00071W_00047N-PP-3d6c-v3_0_1';
const JOB = `
  reference_scenes: [S1A_IW_SLC__1SDV_20220212T222803_20220212T222830_041886_04FCA3_2B3E, S1A_IW_SLC__1SDV_20220212T222828_20220212T222855_041886_04FCA3_A3E2]
  secondary_scenes: [S1A_IW_SLC__1SDV_20220131T222803_20220131T222830_041711_04F690_8F5F, S1A_IW_SLC__1SDV_20220131T222828_20220131T222855_041711_04F690_28D7]
  frame_id: 25502`;
/** The same pair by date over its frame, as an ARIA_S1_GUNW job asks for it. */
const DATE_JOB = `
  reference_date: '2022-02-12'
  secondary_date: '2022-01-31'
  frame_id: 25502`;
const tool = { name: 'test', version: '0.0.0' };

let passing: WrittenSample;
let regressed: WrittenSample;
let referenceSha: string;

beforeAll(async () => {
  const dir = tempDir('gunw-regression-samples-');
  passing = await writeSamplePair(join(dir, 'passing'), 'passing', { rows: 60, cols: 70 });
  regressed = await writeSamplePair(join(dir, 'regressed'), 'regressed', { rows: 60, cols: 70 });
  referenceSha = await sha256File(passing.reference);
});

function caseDir(files: Record<string, string>): string {
  const dir = tempDir('gunw-cases-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const caseText = (name: string, extra: string, job = JOB): string => `name: ${name}\njob:${job}\n${extra}`;

describe('regression cases', () => {
  it("reads a directory of cases, validating the job with the processor's schema", async () => {
    const dir = caseDir({
      'a.yml': caseText(
        'a',
        `reference:\n  path: ${passing.reference}\n  sha256: ${referenceSha}\ntags: [standard]\ntolerances: { layers: [{ match: "**/coherence", abs: 0.1 }] }`,
      ),
      'b.json': JSON.stringify({
        name: 'b',
        job: {
          granules: ['S1A_IW_SLC__1SDV_20220212T222803_20220212T222830_041886_04FCA3_2B3E'],
          secondary_granules: ['S1A_IW_SLC__1SDV_20220131T222803_20220131T222830_041711_04F690_8F5F'],
          frame_id: -1,
        },
      }),
      'notes.txt': 'ignored',
    });
    const cases = await loadCases(dir);
    expect(cases.map((c) => [c.name, c.productKey.prefix, c.tags])).toEqual([
      ['a', 'S1-GUNW', ['standard']],
      ['b', 'S1-GUNW_CUSTOM', []],
    ]);
    expect(cases[0]!.productKey.hash).toBe('3d6c');
    expect(cases[0]!.tolerances).toEqual({ inline: { layers: [{ match: '**/coherence', abs: 0.1 }] } });
  });

  it('reads a case by date, and finds its candidate by the dates of the product ID (a pass may cross midnight)', async () => {
    const dir = caseDir({
      'd.yml': caseText('by-date', `reference: { path: ${passing.reference}, sha256: ${referenceSha} }`, DATE_JOB),
      'aria.json': JSON.stringify({
        name: 'aria-job',
        job: {
          job_type: 'ARIA_S1_GUNW',
          job_parameters: { reference_date: '2022-02-11', secondary_date: '2022-01-30', frame_id: 25502 },
        },
      }),
      'other.yml': caseText('other-dates', '', DATE_JOB.replace('2022-02-12', '2022-02-24')),
    });
    const cases = await loadCases(dir);
    expect(cases.map((c) => [c.name, c.productKey])).toEqual([
      ['aria-job', { prefix: 'S1-GUNW', hash: null, dates: { reference: '2022-02-11', secondary: '2022-01-30' } }],
      ['by-date', { prefix: 'S1-GUNW', hash: null, dates: { reference: '2022-02-12', secondary: '2022-01-31' } }],
      ['other-dates', { prefix: 'S1-GUNW', hash: null, dates: { reference: '2022-02-24', secondary: '2022-01-31' } }],
    ]);
    expect(cases[0]!.parameters).toMatchObject({ min_frame_coverage: 0.9, frame_id: 25502 });
    const candidates = tempDir('gunw-candidates-');
    copyFileSync(passing.candidate, join(candidates, `${ID}.nc`));
    expect(cases.map((c) => findCandidate(c, candidates))).toEqual([
      join(candidates, `${ID}.nc`),
      join(candidates, `${ID}.nc`),
      null,
    ]);
  });

  it('names every problem by file and field', async () => {
    const dir = caseDir({
      'bad.yml': `name: "has space"\njob:\n  reference_scenes: nope\n  secondary_scenes: S1A_IW_SLC__1SDV_20220131T222803_20220131T222830_041711_04F690_8F5F\n  frame_id: 3\nreference: { path: x.nc, url: "https://e.org/x.nc", sha256: abc }\nextra: 1`,
      'job.yml': caseText(
        'job',
        '',
        `\n  reference_scenes: S1A_IW_SLC__1SDV_20220212T222803_20220212T222830_041886_04FCA3_2B3E\n  frame_id: 3\n  output_resolution: 45`,
      ),
      'num.yml': caseText('num', `reference: { path: x.nc, sha256: ${'1'.repeat(64)} }`),
      'dup1.yml': caseText('same', ''),
      'dup2.yml': caseText('same', ''),
    });
    const error = (await loadCases(dir).catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    const problems = error.problems.map((p) => p.replace(`${dir}/`, ''));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^bad\.yml:name: letters, digits/),
        expect.stringMatching(/^bad\.yml:reference\.sha256: 64 lowercase hexadecimal characters/),
        expect.stringMatching(/^bad\.yml:reference: exactly one of path or url$/),
        'num.yml:reference.sha256: YAML read the checksum as a number: put it in quotes',
        expect.stringMatching(/^bad\.yml:\(top level\): Unrecognized key: "extra"/),
        'job.yml:job: --secondary-scenes is required',
        'job.yml:job: --output-resolution: must be 30 or 90 (metres) (got "45")',
        'dup2.yml:name: "same" is also the name of dup1.yml; names must be unique',
      ]),
    );
  });
});

describe('gunw regression run', () => {
  async function run(
    cases: string,
    options: { candidatesDir?: string; reportDir?: string; force?: boolean } = {},
  ): Promise<{ report: RegressionReport; reportDir: string }> {
    const reportDir = options.reportDir ?? tempDir('gunw-regression-report-');
    const report = await runRegression({
      cases: await loadCases(cases),
      reportDir,
      candidatesDir: options.candidatesDir,
      cacheDir: tempDir('gunw-cache-'),
      jobs: 2,
      force: options.force ?? false,
      strictPhase: false,
      tool,
    });
    writeRegressionReports(reportDir, report);
    return { report, reportDir };
  }

  it('passes, fails, finds candidates by product ID, skips what it cannot compare, and writes every report', async () => {
    const candidates = tempDir('gunw-candidates-');
    mkdirSync(join(candidates, ID));
    copyFileSync(passing.candidate, join(candidates, ID, `${ID}.nc`));
    const dir = caseDir({
      '1-pass.yml': caseText('passes', `reference: { path: ${passing.reference}, sha256: ${referenceSha} }`),
      '2-fail.yml': caseText(
        'regresses',
        `reference: { path: ${passing.reference}, sha256: ${referenceSha} }\ncandidate: { path: ${regressed.candidate} }`,
      ),
      '3-skip.yml': caseText('no-reference', ''),
      '4-error.yml': caseText(
        'wrong-checksum',
        `reference: { path: ${passing.reference}, sha256: "${'0'.repeat(64)}" }`,
      ),
    });
    const { report, reportDir } = await run(dir, { candidatesDir: candidates });
    expect(report.cases.map((c) => [c.name, c.verdict])).toEqual([
      ['passes', 'pass'],
      ['regresses', 'fail'],
      ['no-reference', 'skipped'],
      ['wrong-checksum', 'error'],
    ]);
    expect(report.verdict).toBe('fail');
    expect(report.cases[0]!.candidate).toBe(join(candidates, ID, `${ID}.nc`));
    expect(report.cases[1]!.summary!.failures.length).toBeGreaterThan(0);
    expect(report.cases[1]!.summary!.worstLayer).not.toBeNull();
    expect(report.cases[3]!.reason).toMatch(/has SHA-256 [0-9a-f]{64}, the case records 0{64}; the reference changed/);
    const summary = readFileSync(join(reportDir, 'summary.md'), 'utf8');
    expect(summary.startsWith(COMMENT_MARKER)).toBe(true);
    expect(summary).toContain('| `regresses` | ❌ fail |');
    expect(summary).toContain('<details><summary>❌ regresses</summary>');
    const junit = readFileSync(join(reportDir, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuite name="gunw-regression" tests="4" failures="1" errors="1" skipped="1"/);
    expect(junit).toMatch(
      /<testcase classname="gunw-regression" name="no-reference" time="[\d.]+"><skipped message="no reference recorded/,
    );
    expect(readFileSync(join(reportDir, 'index.html'), 'utf8')).toContain(
      '<a href="cases/regresses/index.html">regresses</a>',
    );
    expect(JSON.parse(readFileSync(join(reportDir, 'cases', 'regresses', 'report.json'), 'utf8')).verdict).toBe('fail');
  });

  it('downloads a URL reference once into the cache keyed by its checksum, and re-runs only what changed', async () => {
    const server = await fileService(new Map([['/refs/reference.nc', readFileSync(passing.reference)]])).start();
    const dir = caseDir({
      'url.yml': caseText(
        'from-url',
        `reference: { url: "${server.base}/refs/reference.nc", sha256: ${referenceSha} }\ncandidate: { path: ${passing.candidate} }`,
      ),
    });
    const reportDir = tempDir('gunw-regression-rerun-');
    const cacheDir = tempDir('gunw-cache-');
    const go = async (force = false) =>
      runRegression({ cases: await loadCases(dir), reportDir, cacheDir, jobs: 1, force, strictPhase: false, tool });
    const first = await go();
    expect(first.cases[0]!).toMatchObject({ verdict: 'pass', reused: false });
    expect(first.cases[0]!.reference).toBe(join(cacheDir, 'references', `${referenceSha}.nc`));
    const second = await go();
    expect(second.cases[0]!).toMatchObject({ verdict: 'pass', reused: true });
    expect(server.seen).toHaveLength(1);
    const forced = await go(true);
    expect(forced.cases[0]!.reused).toBe(false);
  });

  it('bounds the cases compared at once by free memory', () => {
    expect(concurrency(8, 16 * 1024 ** 3)).toBe(8);
    expect(concurrency(8, 1.5 * 1024 ** 3)).toBe(2);
    expect(concurrency(8, 100 * 1024 ** 2)).toBe(1);
  });
});

describe('candidates made on HyP3', () => {
  it('submits one job per case, reuses a succeeded one on a second run (retrying failed ones), polls, and downloads the products', async () => {
    const product = readFileSync(passing.candidate);
    const simulation = await new Hyp3Simulation((name) =>
      name.includes('fails') ? null : { filename: `${ID}.nc`, bytes: product },
    ).start();
    const dir = caseDir({
      'ok.yml': caseText('works', `reference: { path: ${passing.reference}, sha256: ${referenceSha} }`),
      'bad.yml': caseText(
        'fails',
        `reference: { path: ${passing.reference}, sha256: ${referenceSha} }`,
        JOB.replace('frame_id: 25502', 'frame_id: 25501'),
      ),
    });
    const cases = await loadCases(dir);
    const client = new Hyp3Client({ baseUrl: simulation.service.base, token: TOKEN, backoffMs: 1 });
    const events: string[] = [];
    const options = {
      directory: tempDir('gunw-hyp3-products-'),
      pollIntervalMs: 1,
      sleep: async () => undefined,
      onEvent: (m: string) => events.push(m),
    };
    const outcomes = await hyp3Candidates(cases, client, options);
    expect(simulation.submissions).toHaveLength(1);
    const submitted = (
      simulation.submissions[0] as { jobs: { name: string; job_parameters: Record<string, unknown> }[] }
    ).jobs;
    expect(submitted.map((j) => j.name)).toEqual([jobName(cases[0]!), jobName(cases[1]!)]);
    expect(submitted[1]!.job_parameters).toMatchObject({
      granules: expect.any(Array),
      secondary_granules: expect.any(Array),
      frame_id: 25502,
    });
    expect(submitted[1]!.job_parameters).not.toHaveProperty('wrapped_phase_layer');
    const works = outcomes.get('works')!;
    expect('path' in works && readFileSync(works.path).equals(product)).toBe(true);
    expect(outcomes.get('fails')).toMatchObject({
      error: expect.stringMatching(
        /^HyP3 job [0-9a-f-]+ FAILED \(log: http:\/\/127\.0\.0\.1:\d+\/products\/.+\.log\)$/,
      ),
    });
    expect(events).toContain(`works: submitted HyP3 job ${'job' in works ? works.job!.job_id : ''}`);

    // A second run finds the succeeded job by name instead of submitting again; the failed one is tried again.
    const again = await hyp3Candidates(cases, client, options);
    expect(simulation.submissions).toHaveLength(2);
    expect((simulation.submissions[1] as { jobs: { name: string }[] }).jobs.map((j) => j.name)).toEqual([
      jobName(cases[0]!),
    ]);
    expect('path' in again.get('works')!).toBe(true);

    const report = await runRegression({
      cases,
      reportDir: tempDir('gunw-hyp3-report-'),
      hyp3: again,
      cacheDir: tempDir('gunw-cache-'),
      jobs: 2,
      force: false,
      strictPhase: false,
      tool,
    });
    expect(report.cases.map((c) => [c.name, c.verdict])).toEqual([
      ['fails', 'error'],
      ['works', 'pass'],
    ]);
  });
});

describe('the gunw regression commands', () => {
  const bin = join(import.meta.dirname, '../../lib/cli/gunw.js');
  const gunw = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [bin, ...args], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CACHE_HOME: tempDir('gunw-xdg-'), ...env },
    });
  // The HyP3 stand-in runs in this process, so these commands must not block it (no spawnSync).
  const gunwAsync = (
    args: string[],
    env: NodeJS.ProcessEnv = {},
  ): Promise<{ status: number; stdout: string; stderr: string }> =>
    new Promise((resolvePromise) => {
      execFile(
        process.execPath,
        [bin, ...args],
        { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: tempDir('gunw-xdg-'), ...env } },
        (error, stdout, stderr) =>
          resolvePromise({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('gunw hyp3 submits, shows and downloads the jobs of the cases', async () => {
    const product = readFileSync(passing.candidate);
    const simulation = await new Hyp3Simulation(() => ({ filename: `${ID}.nc`, bytes: product })).start();
    const dir = caseDir({ 'c.yml': caseText('frame', '') });
    const env = { EARTHDATA_TOKEN: TOKEN };
    const submit = await gunwAsync(['hyp3', 'submit', '--cases', dir, '--hyp3-url', simulation.service.base], env);
    expect(submit.status).toBe(0);
    expect(submit.stdout).toMatch(/^frame\t[0-9a-f-]{36}\tPENDING\t\(submitted\)\n$/);
    const again = await gunwAsync(['hyp3', 'submit', '--cases', dir, '--hyp3-url', simulation.service.base], env);
    expect(again.stdout).toMatch(/\(existing\)/);
    expect(simulation.submissions).toHaveLength(1);
    await gunwAsync(['hyp3', 'status', '--cases', dir, '--hyp3-url', simulation.service.base], env);
    const status = await gunwAsync(['hyp3', 'status', '--cases', dir, '--hyp3-url', simulation.service.base], env);
    expect(status.stdout).toMatch(new RegExp(`^frame\\t[0-9a-f-]{36}\\tSUCCEEDED\\t.+\\t${ID}\\.nc\\n$`));
    const out = tempDir('gunw-hyp3-out-');
    const download = await gunwAsync(
      ['hyp3', 'download', '--cases', dir, '--hyp3-url', simulation.service.base, '--out', out],
      env,
    );
    expect(download.status).toBe(0);
    expect(readFileSync(join(out, `${ID}.nc`)).equals(product)).toBe(true);
    const unauthorised = await gunwAsync(['hyp3', 'status', '--cases', dir, '--hyp3-url', simulation.service.base], {
      EARTHDATA_TOKEN: 'wrong',
    });
    expect(unauthorised.status).toBe(2);
    expect(unauthorised.stderr).toMatch(/^error: HyP3 GET \/jobs: HyP3 rejected the credentials/);
  });

  it('gunw hyp3 sends a case by date as an ARIA_S1_GUNW job with its three parameters, and follows it', async () => {
    const product = readFileSync(passing.candidate);
    const simulation = await new Hyp3Simulation(() => ({ filename: `${ID}.nc`, bytes: product })).start();
    const dir = caseDir({ 'd.yml': caseText('by-date', '', DATE_JOB) });
    const env = { EARTHDATA_TOKEN: TOKEN };
    const args = ['--cases', dir, '--hyp3-url', simulation.service.base];
    const submit = await gunwAsync(['hyp3', 'submit', ...args], env);
    expect(submit.stderr).toBe(`${simulation.service.base}: 1 submitted, 0 already there\n`);
    expect(submit.status).toBe(0);
    expect(simulation.submissions).toEqual([
      {
        jobs: [
          {
            job_type: 'ARIA_S1_GUNW',
            name: 'gunw-regression-by-date',
            job_parameters: { reference_date: '2022-02-12', secondary_date: '2022-01-31', frame_id: 25502 },
          },
        ],
      },
    ]);
    expect((await gunwAsync(['hyp3', 'submit', ...args], env)).stdout).toMatch(/\(existing\)/);
    await gunwAsync(['hyp3', 'status', ...args], env);
    const status = await gunwAsync(['hyp3', 'status', ...args], env);
    expect(status.stdout).toMatch(new RegExp(`^by-date\\t[0-9a-f-]{36}\\tSUCCEEDED\\t.+\\t${ID}\\.nc\\n$`));
    const out = tempDir('gunw-hyp3-out-');
    const download = await gunwAsync(['hyp3', 'download', ...args, '--out', out], env);
    expect(download.status).toBe(0);
    expect(readFileSync(join(out, `${ID}.nc`)).equals(product)).toBe(true);
    // An ARIA_S1_GUNW job takes nothing but the dates and the frame: a case that sets more is refused, not cut.
    const custom = caseDir({ 'd.yml': caseText('custom-by-date', '', `${DATE_JOB}\n  output_resolution: 30`) });
    const refused = await gunwAsync(['hyp3', 'submit', '--cases', custom, '--hyp3-url', simulation.service.base], env);
    expect(refused.status).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('d.yml:job: a job by dates runs on HyP3 as ARIA_S1_GUNW');
    expect(simulation.submissions).toHaveLength(1);
  });

  it('says a run that compared nothing is not a pass, and prints each skip once', () => {
    const dir = caseDir({ 'a.yml': caseText('first', ''), 'b.yml': caseText('second', '') });
    const report = tempDir('gunw-cli-report-');
    const run = gunw(['regression', 'run', '--cases', dir, '--report-dir', report]);
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(
      'GUNW regression: NOTHING COMPARED (0 passed, 0 failed, 0 errors, 2 skipped)',
    );
    expect(run.stdout).not.toContain('PASS');
    expect(run.stderr).toContain('warning: no case was compared (every case was skipped): this is not a pass');
    const reason = 'no reference recorded';
    expect(`${run.stdout}${run.stderr}`.split(reason)).toHaveLength(3);
    expect(readFileSync(join(report, 'summary.md'), 'utf8')).toContain('⚪ GUNW regression: NOTHING COMPARED');
    expect(JSON.parse(readFileSync(join(report, 'report.json'), 'utf8')).verdict).toBe('none');
  });

  it('exits 1 on a regression, 2 on a bad case, and compare + comment give a contributor the PR Markdown', () => {
    const dir = caseDir({
      'c.yml': caseText(
        'regresses',
        `reference: { path: ${passing.reference}, sha256: ${referenceSha} }\ncandidate: { path: ${regressed.candidate} }`,
      ),
    });
    const report = tempDir('gunw-cli-report-');
    const failed = gunw(['regression', 'run', '--cases', dir, '--report-dir', report]);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(
      /^GUNW regression: FAIL \(0 passed, 1 failed, 0 errors, 0 skipped\)\n {2}FAIL {4}regresses: /,
    );
    const bad = gunw(['regression', 'run', '--cases', caseDir({ 'x.yml': 'name: x\n' }), '--report-dir', report]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^error: bad regression cases: .*x\.yml:job: /);
    // Candidates named by a file, not a directory: one line, before anything is compared or skipped.
    const file = join(tempDir('gunw-candidates-'), 'not-a-directory');
    writeFileSync(file, '');
    const notADirectory = gunw(['regression', 'run', '--cases', dir, '--candidates', file, '--report-dir', report]);
    expect(notADirectory.status).toBe(2);
    expect(notADirectory.stdout).toBe('');
    expect(notADirectory.stderr).toMatch(
      /^error: --candidates .*not-a-directory: is a file; give the directory of the candidate products\n$/,
    );
    const out = tempDir('gunw-compare-');
    const compared = gunw(['regression', 'compare', passing.reference, passing.candidate, '--report-dir', out]);
    expect(compared.status).toBe(0);
    const comment = gunw(['regression', 'comment', out]);
    expect(comment.status).toBe(0);
    expect(comment.stdout.startsWith(COMMENT_MARKER)).toBe(true);
    expect(comment.stdout).toContain('GUNW regression: PASS');
  });
});
