#!/usr/bin/env node
// Times the WebAssembly SIMD kernels (src/wasm/kernels.wat) against the scalar JavaScript loops they replaced
// (commit a7e0bec; kept below as the peer), on the same rows in the same run: the number beside the kernels' reason.
//
//   node scripts/bench-kernels.mjs [--pixels 20000000] [--row 4096] [--runs 5]
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { kernelRows, unshuffleRow, valueStatistics } = await import(
  pathToFileURL(join(root, 'lib/wasm/kernels.js')).href
);
const { shuffledChunk4 } = await import(pathToFileURL(join(root, 'lib/netcdf/chunks/slab-encoding.js')).href);
const { values } = parseArgs({
  options: {
    pixels: { type: 'string', default: '20000000' },
    row: { type: 'string', default: '4096' },
    runs: { type: 'string', default: '5' },
  },
});
const n = Number(values.row);
const rows = Math.ceil(Number(values.pixels) / n);
const runs = Number(values.runs);

// A row like a coherence layer's: values in [0, 1], a NaN stretch, fill at the edges, small differences.
const a = new Float64Array(n);
const b = new Float64Array(n);
for (let j = 0; j < n; j++) {
  const edge = j < n * 0.05 || j > n * 0.95;
  a[j] = edge ? 0 : 0.3 + 0.5 * Math.abs(Math.sin(j / 37));
  b[j] = j > n * 0.4 && j < n * 0.42 ? Number.NaN : edge ? 0 : a[j] + (j % 13 === 0 ? 2e-3 : 1e-5);
}
const f32 = Float32Array.from(a);
const planes = new Uint8Array(4 * n);
const bytes = new Uint8Array(f32.buffer);
for (let i = 0; i < n; i++) for (let p = 0; p < 4; p++) planes[p * n + i] = bytes[4 * i + p];

// The scalar peer: the statistics pass and |Δ| histogram binning of src/compare/kernel.ts before a7e0bec.
const scratch = new Float32Array(n);
const scratchBits = new Uint32Array(scratch.buffer);
const histogram = new Uint32Array(65536);
function scalarStatistics(x, y) {
  let [onlyA, onlyB, exceeding, sumAbs, sumSquares, maxAbs, m] = [0, 0, 0, 0, 0, 0, 0];
  for (let j = 0; j < n; j++) {
    const p = x[j];
    const q = y[j];
    const d = q - p;
    if (d === d && p !== 0 && q !== 0) {
      const ad = Math.abs(d);
      sumAbs += ad;
      sumSquares += d * d;
      if (ad > maxAbs) maxAbs = ad;
      scratch[m++] = ad;
      if (ad > 1e-3) exceeding++;
    } else if (p === p && p !== 0) onlyA++;
    else if (q === q && q !== 0) onlyB++;
  }
  for (let j = 0; j < m; j++) histogram[scratchBits[j] >>> 15]++;
  return sumAbs + sumSquares + maxAbs + onlyA + onlyB + exceeding;
}
// The scalar peer of unshuffling a float32 row into float64 values (shuffled-view.ts before a7e0bec).
const words = new Uint32Array(n);
const floats = new Float32Array(words.buffer);
function scalarUnshuffle(into) {
  for (let i = 0; i < n; i++)
    words[i] = (planes[i] | (planes[n + i] << 8) | (planes[2 * n + i] << 16) | (planes[3 * n + i] << 24)) >>> 0;
  for (let i = 0; i < n; i++) into[i] = floats[i];
}

// Packaging's chunk shuffle: 256 × 256 float32 chunks cut from slabs of a 30 m frame's width (13,320 columns),
// against the scalar loop that cut and shuffled in one pass (slab-encoding.ts before the kernel).
const slabShape = [256, 13320];
const slabWords = new Uint32Array(slabShape[0] * slabShape[1]);
for (let i = 0; i < slabWords.length; i++) slabWords[i] = Math.fround(Math.abs(Math.sin(i / 97))) * 0x3f800000;
const chunkShape = [256, 256];
const chunkOrigins = Array.from({ length: Math.ceil(slabShape[1] / 256) }, (_, c) => [0, c * 256]);
const chunkRepeats = Math.max(1, Math.round(Number(values.pixels) / slabWords.length));
const scalarPlanes = new Uint8Array(4 * 65536);
function scalarShuffledChunk(origin) {
  const [rows, columns] = chunkShape;
  const count = rows * columns;
  const extentColumns = Math.min(columns, slabShape[1] - origin[1]);
  if (extentColumns < columns) scalarPlanes.fill(0);
  for (let r = 0; r < rows; r++) {
    const from = (origin[0] + r) * slabShape[1] + origin[1];
    for (let c = 0; c < extentColumns; c++) {
      const w = slabWords[from + c];
      const i = r * columns + c;
      scalarPlanes[i] = w & 0xff;
      scalarPlanes[count + i] = (w >>> 8) & 0xff;
      scalarPlanes[2 * count + i] = (w >>> 16) & 0xff;
      scalarPlanes[3 * count + i] = w >>> 24;
    }
  }
  return scalarPlanes;
}
for (const origin of chunkOrigins) {
  const simd = shuffledChunk4(slabWords, slabShape, origin, chunkShape, 0);
  if (Buffer.compare(simd, scalarChunkCopy(origin)) !== 0) throw new Error(`shuffled chunk at ${origin} differs`);
}
function scalarChunkCopy(origin) {
  return Buffer.from(scalarShuffledChunk(origin));
}

const rowsInKernel = kernelRows(n);
rowsInKernel.a.set(a);
rowsInKernel.b.set(b);
const owner = { histogram: new Uint32Array(65536) };
const plain = new Float64Array(n);

// Each kernel must give its peer's answer before either is timed: a ratio of two different computations says nothing.
{
  const simd = valueStatistics(rowsInKernel.a, rowsInKernel.b, 0, n, 0, 0, 1e-3, 0, owner);
  const peer = { compared: 0, exceeding: 0, onlyA: 0, onlyB: 0, sumAbs: 0 };
  for (let j = 0; j < n; j++) {
    const [p, q] = [a[j], b[j]];
    const [validA, validB] = [p === p && p !== 0, q === q && q !== 0];
    if (validA && validB) {
      peer.compared++;
      peer.sumAbs += Math.abs(q - p);
      if (Math.abs(q - p) > 1e-3) peer.exceeding++;
    } else if (validA) peer.onlyA++;
    else if (validB) peer.onlyB++;
  }
  const counts = (r) => [r.compared, r.exceeding, r.onlyA, r.onlyB].join(',');
  if (counts(simd) !== counts(peer) || Math.abs(simd.sumAbs - peer.sumAbs) > 1e-9 * peer.sumAbs)
    throw new Error(
      `value statistics differ: kernel ${counts(simd)} Σ${simd.sumAbs}, loop ${counts(peer)} Σ${peer.sumAbs}`,
    );
  unshuffleRow(planes, n, 0, n, 'f4', plain);
  if (plain.some((v, i) => v !== f32[i])) throw new Error('unshuffled float32 row differs');
}

function best(run) {
  let fastest = Infinity;
  for (let r = 0; r < runs; r++) {
    const start = process.hrtime.bigint();
    run();
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return fastest;
}

const cases = [
  [
    'value statistics + histogram of abs(Δ)',
    () => {
      for (let r = 0; r < rows; r++) valueStatistics(rowsInKernel.a, rowsInKernel.b, 0, n, 0, 0, 1e-3, 0, owner);
    },
    () => {
      for (let r = 0; r < rows; r++) scalarStatistics(a, b);
    },
  ],
  [
    'unshuffle float32 → float64',
    () => {
      for (let r = 0; r < rows; r++) unshuffleRow(planes, n, 0, n, 'f4', rowsInKernel.a);
    },
    () => {
      for (let r = 0; r < rows; r++) scalarUnshuffle(plain);
    },
  ],
  [
    'cut + shuffle float32 chunks for deflate',
    () => {
      for (let r = 0; r < chunkRepeats; r++)
        for (const origin of chunkOrigins) shuffledChunk4(slabWords, slabShape, origin, chunkShape, 0);
    },
    () => {
      for (let r = 0; r < chunkRepeats; r++) for (const origin of chunkOrigins) scalarShuffledChunk(origin);
    },
  ],
];

const mpx = (rows * n) / 1e6;
console.log(`kernels: ${mpx.toFixed(1)} Mpx in rows of ${n}, best of ${runs}`);
console.log('| kernel | SIMD (s) | scalar JS (s) | SIMD / scalar |');
console.log('|---|---:|---:|---:|');
for (const [name, simd, scalar] of cases) {
  const [s, j] = [best(simd), best(scalar)];
  console.log(`| ${name} | ${s.toFixed(3)} | ${j.toFixed(3)} | ${(s / j).toFixed(2)} |`);
}
