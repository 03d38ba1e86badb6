#!/usr/bin/env node
// Times the plugin's ionosphere filter (coherence and 1 σ outlier removal, adaptive Gaussian over 100 windows of
// 100–200 pixels) on a frame-sized ionosphere grid (340 × 240 at 200 × 50 looks, three swaths), ours against the
// numpy/scipy implementation in test/fixtures/ionosphere_reference.py, the same input, in the same run. Both are once
// per job, seconds against ISCE2's hours; the ratio shows what the FFT here costs against scipy's pocketfft.
//
//   node scripts/bench-ionosphere.mjs [--runs 3]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { filterIonosphere } = await import(join(root, 'lib/processor/ionosphere/filter.js'));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const [width, length] = [340, 240];
const options = { windowMax: 200, windowMin: 100, fit: true, coherenceThreshold: 0.8, sigmaRule: 1 };

let seed = 7;
const uniform = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const ion = Float32Array.from({ length: width * length }, (_, i) => Math.sin(i / 900) + 0.3 * (uniform() - 0.5));
const cor = Float32Array.from({ length: width * length }, () => 0.55 + 0.45 * uniform());

const dir = mkdtempSync(join(tmpdir(), 'gunw-bench-ion-'));
writeFileSync(join(dir, 'ion.f32'), ion);
writeFileSync(join(dir, 'cor.f32'), cor);
writeFileSync(
  join(dir, 'case.json'),
  JSON.stringify({
    op: 'filter',
    width,
    length,
    fit: true,
    coherence_threshold: 0.8,
    sigma_rule: 1,
    window_max: 200,
    window_min: 100,
  }),
);

const median = (samples) => samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
const ours = [];
const theirs = [];
for (let run = 0; run < Number(values.runs); run++) {
  let start = performance.now();
  filterIonosphere(ion, cor, width, length, options);
  ours.push((performance.now() - start) / 1000);
  start = performance.now();
  const python = spawnSync('/usr/bin/python3', [join(root, 'test/fixtures/ionosphere_reference.py'), dir], {
    encoding: 'utf8',
  });
  theirs.push((performance.now() - start) / 1000);
  if (python.status !== 0)
    throw new Error(`the numpy reference failed (python3-scipy, python3-skimage?): ${python.stderr}`);
}
rmSync(dir, { recursive: true, force: true });
const [a, b] = [median(ours), median(theirs)];
console.log(`\nionosphere filter on ${width} × ${length} (median of ${values.runs} runs)\n`);
console.log('| implementation | seconds | ratio |');
console.log('|---|---:|---:|');
console.log(`| ours (src/processor/ionosphere/filter.ts) | ${a.toFixed(2)} | ${(a / b).toFixed(2)}× |`);
console.log(`| numpy/scipy (whole process, start-up included) | ${b.toFixed(2)} | 1.00× |`);
