import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LayerAccumulator } from '../../src/compare/accumulator.js';
import { compareRow } from '../../src/compare/kernel.js';
import { Mode } from '../../src/compare/row-settings.js';
import { unshuffle } from '../../src/netcdf/chunks/decode.js';
import { flushHistogram, HISTOGRAM_BINS, kernelRows, unshuffleRow, valueStatistics } from '../../src/wasm/kernels.js';

const root = join(import.meta.dirname, '../..');

/** Deterministic pseudo-random numbers, so a failure repeats. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** HDF5's shuffle filter: byte k of every element, element after element, then byte k + 1. */
function shuffle(bytes: Uint8Array, size: number): Uint8Array {
  const n = bytes.length / size;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < n; i++) for (let b = 0; b < size; b++) out[b * n + i] = bytes[i * size + b]!;
  return out;
}

/** The statistics of two rows, computed one pixel at a time with nothing shared with the kernels. */
function expected(a: ArrayLike<number>, b: ArrayLike<number>, fillA: number, fillB: number, abs: number, rel: number) {
  const out = {
    sumAbs: 0,
    sumSquares: 0,
    maxAbs: 0,
    compared: 0,
    exceeding: 0,
    onlyA: 0,
    onlyB: 0,
    bins: new Map<number, number>(),
  };
  for (let j = 0; j < a.length; j++) {
    const [x, y] = [a[j]!, b[j]!];
    const validA = !Number.isNaN(x) && x !== fillA;
    const validB = !Number.isNaN(y) && y !== fillB;
    if (validA && !validB) out.onlyA++;
    if (validB && !validA) out.onlyB++;
    if (!validA || !validB) continue;
    const d = x === y ? 0 : Math.abs(y - x);
    out.compared++;
    out.sumAbs += d;
    out.sumSquares += d * d;
    out.maxAbs = Math.max(out.maxAbs, d);
    if (d > abs + rel * Math.abs(x)) out.exceeding++;
    const bin = new Uint32Array(new Float32Array([d]).buffer)[0]! >>> 15;
    out.bins.set(bin, (out.bins.get(bin) ?? 0) + 1);
  }
  return out;
}

function nonZeroBins(histogram: Uint32Array): Map<number, number> {
  const bins = new Map<number, number>();
  histogram.forEach((count, bin) => {
    if (count > 0) bins.set(bin, count);
  });
  return bins;
}

describe('the SIMD kernels', () => {
  it('are exactly what `npm run build:wasm` makes from kernels.wat (run it and commit the output if this fails)', () => {
    const out = mkdtempSync(join(tmpdir(), 'gunw-wasm-'));
    try {
      execFileSync(process.execPath, [join(root, 'scripts/build-wasm.mjs'), '--out', join(out, 'kernels-binary.ts')], {
        stdio: 'pipe',
      });
      expect(readFileSync(join(out, 'kernels-binary.ts'), 'utf8')).toBe(
        readFileSync(join(root, 'src/wasm/kernels-binary.ts'), 'utf8'),
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it.each([1, 7, 15, 16, 17, 2100, 2103])(
    'unshuffle float32 and 16-bit rows exactly, %i elements (vector blocks and tail)',
    (n) => {
      const next = random(n);
      const elements = n + 37;
      const floats = Float32Array.from({ length: elements }, () => (next() - 0.5) * 1e6);
      floats[3 % elements] = Number.NaN;
      floats[5 % elements] = -0;
      const int16 = Int16Array.from({ length: elements }, () => Math.floor((next() - 0.5) * 65536));
      const e0 = elements - n;
      for (const [data, type, size] of [
        [floats, 'f4', 4],
        [int16, 'i2', 2],
        [new Uint16Array(int16.buffer), 'u2', 2],
      ] as const) {
        const planes = shuffle(new Uint8Array(data.buffer), size);
        // Into a row of the kernels' memory (read in place) and into an ordinary array (copied out).
        for (const [where, into] of [
          ['kernel memory', kernelRows(n).a],
          ['an array', new Float64Array(n)],
        ] as const) {
          unshuffleRow(planes, elements, e0, n, type, into);
          expect(Array.from(into.subarray(0, n)), `${type} into ${where}`).toEqual(Array.from(data.subarray(e0)));
        }
        const reference = new (data.constructor as Float32ArrayConstructor)(unshuffle(planes, size).buffer);
        expect(Array.from(reference)).toEqual(Array.from(data));
      }
    },
  );

  it("take a row's statistics as a pixel-by-pixel loop does: fills, NaN, infinities, odd lengths, relative tolerance", () => {
    const next = random(99);
    const n = 1001;
    const a = Float64Array.from({ length: n }, () => next() * 10);
    const b = Float64Array.from(a, (x) => x + (next() - 0.5) * 4e-3);
    for (let j = 0; j < n; j += 17) a[j] = Number.NaN;
    for (let j = 3; j < n; j += 23) b[j] = Number.NaN;
    for (let j = 5; j < n; j += 29) a[j] = -9999;
    for (let j = 7; j < n; j += 31) b[j] = 0;
    [a[10], b[10]] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
    [a[11], b[11]] = [Number.NEGATIVE_INFINITY, 1];
    [a[12], b[12]] = [2, 2];
    const owner = { histogram: new Uint32Array(HISTOGRAM_BINS) };
    const got = valueStatistics(a, b, 0, n, -9999, 0, 1e-3, 1e-4, owner);
    flushHistogram(owner);
    const want = expected(a, b, -9999, 0, 1e-3, 1e-4);
    expect([got.compared, got.exceeding, got.onlyA, got.onlyB, got.maxAbs]).toEqual([
      want.compared,
      want.exceeding,
      want.onlyA,
      want.onlyB,
      want.maxAbs,
    ]);
    expect(got.maxAbs).toBe(Number.POSITIVE_INFINITY);
    expect(nonZeroBins(owner.histogram)).toEqual(want.bins);
    // Sums are taken two lanes at a time, so only their rounding may differ from a serial sum.
    expect(Number.isFinite(got.sumAbs)).toBe(false);
    const finite = Float64Array.from(b, (y, j) => (j === 11 ? Number.NaN : y));
    const finiteWant = expected(a, finite, -9999, 0, 1e-3, 1e-4);
    const finiteGot = valueStatistics(a, finite, 0, n, -9999, 0, 1e-3, 1e-4, owner);
    expect(finiteGot.sumAbs).toBeCloseTo(finiteWant.sumAbs, 12);
    expect(finiteGot.sumSquares).toBeCloseTo(finiteWant.sumSquares, 14);
  });

  it('take the statistics of a range inside a row, in place or copied, and leave the row as it was', () => {
    const next = random(5);
    const n = 301;
    const rows = kernelRows(n);
    for (let j = 0; j < n; j++) {
      rows.a[j] = next() * 10;
      rows.b[j] = rows.a[j]! + (next() - 0.5) * 4e-3;
    }
    const [a0, b0] = [rows.a.slice(), rows.b.slice()];
    const owner = { histogram: new Uint32Array(HISTOGRAM_BINS) };
    const want = expected(rows.a.slice(100, 201), rows.b.slice(100, 201), Number.NaN, Number.NaN, 1e-3, 0);
    // An odd range in place; the same range of rows that end at it (no room after it for the kernel's padding);
    // and of ordinary arrays, which are copied in.
    const cases: [Float64Array, Float64Array][] = [
      [rows.a, rows.b],
      [rows.a.subarray(0, 201), rows.b.subarray(0, 201)],
      [Float64Array.from(rows.a), Float64Array.from(rows.b)],
    ];
    for (const [a, b] of cases) {
      const got = valueStatistics(a, b, 100, 201, Number.NaN, Number.NaN, 1e-3, 0, owner);
      expect([got.compared, got.exceeding, got.maxAbs]).toEqual([want.compared, want.exceeding, want.maxAbs]);
      expect(got.sumAbs).toBeCloseTo(want.sumAbs, 12);
    }
    expect([rows.a, rows.b]).toEqual([a0, b0]);
  });

  it("hand the histogram to each layer when rows of another layer come, and when the layer's totals are read", () => {
    const first = new LayerAccumulator(0);
    const second = new LayerAccumulator(1);
    const n = 64;
    const a = new Float64Array(n).fill(1);
    const b = Float64Array.from({ length: n }, (_, j) => 1 + j / 1000);
    const row = (acc: LayerAccumulator) =>
      compareRow(
        {
          mode: Mode.Values,
          fillA: Number.NaN,
          fillB: Number.NaN,
          abs: 1,
          rel: 0,
          labelFill: Number.NaN,
          acc,
          scratch: new Float32Array(n),
          scratchBits: new Uint32Array(n),
          deltas: new Float64Array(n),
          previewDiff: null,
          previewMismatch: null,
          previewColumn: null,
          previewLabels: null,
        },
        a,
        b,
        n,
        null,
        0,
      );
    row(first);
    row(second);
    row(first);
    // Rows longer than the kernels' memory holds get a new instance; the counts so far stay with their layer.
    kernelRows(100_000);
    row(first);
    const sum = (h: Uint32Array): number => h.reduce((s, c) => s + c, 0);
    expect(sum(first.totals().histogram)).toBe(3 * n);
    expect(sum(second.totals().histogram)).toBe(n);
    expect(first.totals().compared).toBe(3 * n);
  });
});
