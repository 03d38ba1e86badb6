#!/usr/bin/env node
// Benchmark of `isce2_topsapp package` against a Python netCDF4 peer (scripts/bench/package_py.py) that writes the
// same layers with the same chunking and compression, measured in the same run on the same ISCE2 inputs.
//
//   node scripts/bench-package.mjs [--sizes frame90,frame30] [--data /tmp/gunw-bench-package] [--runs 1]
//
// Inputs are made with `isce2_topsapp sample --size <size>` when missing. Target (issue 16): wall time ≤ 0.5× the
// Python peer at frame30 on a 2-core machine, peak RSS ≤ 500 MB.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measure, median, TIME } from './bench/measure.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: 'frame90,frame30' },
    data: { type: 'string', default: '/tmp/gunw-bench-package' },
    runs: { type: 'string', default: '1' },
  },
});
const PYTHON = '/usr/bin/python3';
const CLI = join(root, 'lib/cli/isce2-topsapp.js');
for (const [path, hint] of [
  [TIME, 'apt-get install time'],
  [CLI, 'npm run build'],
]) {
  if (!existsSync(path)) {
    console.error(`bench: ${path} is missing (${hint})`);
    process.exit(2);
  }
}

/** A failed run would make a meaningless ratio: stop with its error instead. */
function checked(run) {
  if (run.status !== 0) throw new Error(`a benchmark command failed (exit ${run.status}): ${run.stderr.slice(-800)}`);
  return run;
}

const rows = [];
for (const size of values.sizes.split(',')) {
  const isce = join(values.data, `isce-${size}`);
  if (!existsSync(join(isce, 'plan.json'))) {
    mkdirSync(values.data, { recursive: true });
    console.error(`bench: writing the ${size} ISCE2 sample to ${isce} ...`);
    const made = spawnSync(process.execPath, [CLI, 'sample', '--out', isce, '--size', size], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (made.status !== 0) process.exit(2);
  }
  const ours = [];
  const peer = [];
  for (let run = 0; run < Number(values.runs); run++) {
    const out = join(values.data, `out-${size}`);
    rmSync(out, { recursive: true, force: true });
    // Each measured run starts with the page cache clean: otherwise the kernel writes the previous run's output
    // (600 MB at frame30) back to disk during the next one, which then pays for it (2-3 s measured).
    spawnSync('sync');
    ours.push(checked(measure(process.execPath, [CLI, 'package', '--isce-dir', isce, '--out', out])));
    const peerOut = join(values.data, `peer-${size}.nc`);
    rmSync(peerOut, { force: true });
    spawnSync('sync');
    peer.push(checked(measure(PYTHON, [join(root, 'scripts/bench/package_py.py'), isce, peerOut])));
  }
  const o = { seconds: median(ours.map((m) => m.seconds)), rssMb: median(ours.map((m) => m.rssMb)) };
  const p = { seconds: median(peer.map((m) => m.seconds)), rssMb: median(peer.map((m) => m.rssMb)) };
  rows.push({ size, ours: o, peer: p, ratio: o.seconds / p.seconds });
}

console.log(
  '\npackaging: isce2_topsapp package vs Python netCDF4 writing the same layers (zlib 4 + shuffle, 256x256 chunks)',
);
console.log('size      ours (s)  peer (s)  ratio  ≤0.5× & ≤500 MB  ours RSS (MB)  peer RSS (MB)');
for (const r of rows) {
  console.log(
    `${r.size.padEnd(9)} ${r.ours.seconds.toFixed(2).padStart(8)}  ${r.peer.seconds.toFixed(2).padStart(8)}  ${r.ratio.toFixed(2).padStart(5)}  ${r.ratio <= 0.5 && r.ours.rssMb <= 500 ? ' met  ' : ' MISS '}  ${r.ours.rssMb.toFixed(0).padStart(13)}  ${r.peer.rssMb.toFixed(0).padStart(13)}`,
  );
}
