import { describe, expect, it } from 'vitest';
import {
  binLowerEdge,
  HISTOGRAM_BINS,
  LayerAccumulator,
  percentileFromHistogram,
} from '../../src/compare/accumulator.js';
import { compareIdenticalLabelRuns, compareIdenticalRow, compareRow } from '../../src/compare/kernel.js';
import { Mode } from '../../src/compare/row-settings.js';
import {
  emptyTotals,
  findAmbiguities,
  findRelabelling,
  mergeSums,
  mergeTotals,
  statisticsWithout,
  unreliableCycledPixels,
} from '../../src/compare/layer-stats.js';
import { IRREGULAR_K } from '../../src/compare/tasks.js';

/** (reference, candidate, pixels) triples, sorted. */
function pairsOf(flat: readonly number[]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < flat.length; i += 3) out.push([flat[i]!, flat[i + 1]!, flat[i + 2]!]);
  return out.sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]!);
}

function settings(mode: Mode, n: number, acc = new LayerAccumulator(0)) {
  const scratch = new Float32Array(n);
  return {
    mode,
    fillA: 0,
    fillB: 0,
    abs: 1e-3,
    rel: 0,
    labelFill: -1,
    acc,
    scratch,
    scratchBits: new Uint32Array(scratch.buffer),
    deltas: new Float64Array(n),
    previewDiff: null,
    previewMismatch: null,
    previewColumn: null,
    previewLabels: null,
  };
}

describe('the comparison kernel', () => {
  it('classifies valid, fill and NaN pixels on both sides', () => {
    const a = Float64Array.from([1, 2, Number.NaN, 0, 5, Number.NaN]);
    const b = Float64Array.from([1, 2.5, 3, 4, Number.NaN, Number.NaN]);
    const s = settings(Mode.Values, a.length);
    compareRow(s, a, b, a.length, null, 0);
    expect([s.acc.validReference, s.acc.validCandidate, s.acc.nanMismatch, s.acc.compared, s.acc.exceeding]).toEqual([
      3, 4, 3, 2, 1,
    ]);
    expect(s.acc.maxAbs).toBe(0.5);
  });

  it('counts an identical labels row given as runs exactly as given as pixels', () => {
    // Runs of labels with the fill (0) and NaN between runs of one label, which the pixel pass joins into one run.
    const runs: [number, number][] = [
      [7, 3],
      [0, 2],
      [7, 4],
      [Number.NaN, 1],
      [7, 1],
      [-3, 5],
      [12, 2],
      [0, 1],
    ];
    const pixels = Float64Array.from(runs.flatMap(([value, length]) => Array<number>(length).fill(value)));
    const n = pixels.length;
    const byPixel = settings(Mode.Labels, n);
    compareIdenticalRow(byPixel, pixels, n, null, 0);
    const byRun = settings(Mode.Labels, n);
    const starts = Int32Array.from(runs.map((_, k) => runs.slice(0, k).reduce((at, [, length]) => at + length, 0)));
    compareIdenticalLabelRuns(byRun, starts, Float64Array.from(runs.map(([value]) => value)), runs.length, n);
    const totals = (acc: LayerAccumulator) => {
      const t = acc.totals();
      return { ...t, histogram: Array.from(t.histogram), labelPairs: pairsOf(t.labelPairs) };
    };
    expect(totals(byRun.acc)).toEqual(totals(byPixel.acc));
    expect(byRun.acc.compared).toBe(15);
    expect(pairsOf(byRun.acc.totals().labelPairs)).toEqual([
      [-3, -3, 5],
      [7, 7, 8],
      [12, 12, 2],
    ]);
  });

  it.each([Mode.Values, Mode.WrappedPhase, Mode.UnwrappedPhase, Mode.Labels])(
    'compares equal infinities as equal (mode %i)',
    (mode) => {
      const a = Float64Array.from([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1, Number.POSITIVE_INFINITY]);
      const b = Float64Array.from([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1, 2]);
      const s = settings(mode, a.length);
      compareRow(s, a, b, a.length, Float64Array.from([3, 3, 3, 3]), 0);
      expect([s.acc.compared, s.acc.nanMismatch, s.acc.exceeding]).toEqual([4, 0, 1]);
      expect(s.acc.totals().histogram[0]).toBe(3);
    },
  );

  it('wraps differences of wrapped phase into (-π, π]', () => {
    const a = Float64Array.from([3.1]);
    const b = Float64Array.from([-3.1]);
    const s = settings(Mode.WrappedPhase, 1);
    compareRow(s, a, b, 1, null, 0);
    expect(s.acc.maxAbs).toBeCloseTo(2 * Math.PI - 6.2, 10);
  });

  it('records whole cycles per component for unwrapped phase', () => {
    const a = Float64Array.from([1, 1, 1, 1, 1]);
    const b = Float64Array.from([1 + 2 * Math.PI, 1 + 2 * Math.PI, 1, 1 + 3, 1 - 4 * Math.PI]);
    const labels = Float64Array.from([7, 7, 8, 8, 0]);
    const s = settings(Mode.UnwrappedPhase, a.length);
    compareRow(s, a, b, a.length, labels, 0);
    expect(findAmbiguities(s.acc.phaseCounts)).toEqual([{ component: 7, k: 1, pixels: 2 }]);
    expect(s.acc.phaseCounts.get(8)).toEqual(
      new Map([
        [0, 1],
        [IRREGULAR_K, 1],
      ]),
    );
    // Component 0 is counted (its pixel off by −2·2π is named in the report) but never an explained ambiguity.
    expect(s.acc.phaseCounts.get(0)).toEqual(new Map([[-2, 1]]));
    expect(unreliableCycledPixels(s.acc.phaseCounts)).toBe(1);
  });

  it('counts unwrapped phase per component as a pixel-by-pixel count does, with or without a difference map', () => {
    // A row with components, NaN and fill on both sides, infinities, 2π and 2·2π jumps, irregular pixels and
    // unlabelled runs (no label, the label fill); every compared pixel is counted once, in its component or not.
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const n = 2101;
    const a = Float64Array.from({ length: n }, () => next() * 20 - 10);
    const b = Float64Array.from(a, (x) => x + (next() - 0.5) * 1e-3);
    const labels = Float64Array.from({ length: n }, (_, j) => [3, 3, 5, Number.NaN, 0, -1, 9][Math.floor(j / 311)]!);
    for (let j = 700; j < 1000; j++) b[j] = a[j]! + 2 * Math.PI * (j % 7 === 0 ? 2 : 1);
    for (let j = 1001; j < 1100; j += 3) b[j] = a[j]! + 1.5;
    for (let j = 1901; j < 2000; j += 3) b[j] = a[j]! + 1.5;
    for (let j = 0; j < n; j += 37) a[j] = Number.NaN;
    for (let j = 5; j < n; j += 41) b[j] = 0;
    for (let j = 9; j < n; j += 43) a[j] = 0;
    [a[100], b[100]] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
    [a[101], b[101]] = [1, Number.NEGATIVE_INFINITY];
    // The count, pixel by pixel (fill 0, label fill −1, tolerance 1e-3).
    const want = { compared: 0, exceeding: 0, onlyA: 0, onlyB: 0, unlabelled: 0, counts: new Map<string, number>() };
    for (let j = 0; j < n; j++) {
      const [x, y, label] = [a[j]!, b[j]!, labels[j]!];
      const [validA, validB] = [x === x && x !== 0, y === y && y !== 0];
      if (!validA || !validB) {
        if (validA) want.onlyA++;
        if (validB) want.onlyB++;
        continue;
      }
      want.compared++;
      const d = y === x ? 0 : y - x;
      let k = 0;
      if (Math.abs(d) > 1e-3) {
        want.exceeding++;
        k = Math.round(d / (2 * Math.PI));
        if (k === 0 || Math.abs(d - k * 2 * Math.PI) > 1e-3) k = IRREGULAR_K;
      }
      if (label !== label || label === -1) want.unlabelled++;
      else want.counts.set(`${label},${k}`, (want.counts.get(`${label},${k}`) ?? 0) + 1);
    }
    const run = (withMap: boolean) => {
      const s = {
        ...settings(Mode.UnwrappedPhase, n),
        previewDiff: withMap ? new Float32Array(1).fill(Number.NaN) : null,
        previewMismatch: withMap ? new Uint8Array(1) : null,
        previewColumn: withMap ? new Int32Array(n) : null,
        previewLabels: withMap ? new Float32Array(1) : null,
      };
      const [a0, b0] = [a.slice(), b.slice()];
      compareRow(s, a, b, n, labels, 0);
      // The rows come out of the pass as they went in (the kernel pads odd runs in place).
      expect([a, b]).toEqual([a0, b0]);
      const sums = s.acc.takeSums();
      return { t: s.acc.totals(), sums };
    };
    for (const withMap of [false, true]) {
      const { t, sums } = run(withMap);
      expect([t.compared, t.exceeding, t.validReference - t.compared, t.validCandidate - t.compared]).toEqual([
        want.compared,
        want.exceeding,
        want.onlyA,
        want.onlyB,
      ]);
      const counts = new Map<string, number>();
      for (let i = 0; i < t.phaseCounts.length; i += 3)
        counts.set(`${t.phaseCounts[i]},${t.phaseCounts[i + 1]}`, t.phaseCounts[i + 2]!);
      expect(counts).toEqual(want.counts);
      expect([counts.get('5,1')! > 0, counts.get('5,2')! > 0, counts.get(`9,${IRREGULAR_K}`)! > 0]).toEqual([
        true,
        true,
        true,
      ]);
      // Every compared pixel is in one component's sums or in the unlabelled ones.
      let inComponents = 0;
      for (let i = 0; i < sums.componentSums.length; i += 5) inComponents += sums.componentSums[i + 1]!;
      expect([sums.unlabelledSums[0], inComponents + sums.unlabelledSums[0]]).toEqual([want.unlabelled, want.compared]);
      // Σ|Δ| is infinite (pixel 101), yet every component's sums after it in the row stay numbers.
      expect(sums.sumAbs).toBe(Number.POSITIVE_INFINITY);
      for (let i = 0; i < sums.componentSums.length; i += 5)
        expect(Number.isNaN(sums.componentSums[i + 2])).toBe(false);
    }
  });

  it('gives the statistics without an explained component to full precision, beside a million 2π pixels', () => {
    let seed = 11;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const rowLength = 4096;
    const acc = new LayerAccumulator(0);
    let [compared, sumAbs, sumSquares] = [0, 0, 0];
    for (const withMap of [false, true]) {
      for (let r = 0; r < 250; r++) {
        const a = Float64Array.from({ length: rowLength }, () => next() * 100);
        // Component 4 off by 2π; components 5 and NaN (unlabelled) by noise of 1e-4.
        const labels = Float64Array.from({ length: rowLength }, (_, j) => (j < 2000 ? 4 : j < 3000 ? 5 : Number.NaN));
        const b = Float64Array.from(a, (x, j) => x + (j < 2000 ? 2 * Math.PI : (next() - 0.5) * 2e-4));
        for (let j = 2000; j < rowLength; j++) {
          const d = b[j]! - a[j]!;
          compared++;
          sumAbs += Math.abs(d);
          sumSquares += d * d;
        }
        const s = {
          ...settings(Mode.UnwrappedPhase, rowLength, acc),
          previewDiff: withMap ? new Float32Array(1).fill(Number.NaN) : null,
          previewMismatch: withMap ? new Uint8Array(1) : null,
          previewColumn: withMap ? new Int32Array(rowLength) : null,
          previewLabels: withMap ? new Float32Array(1) : null,
        };
        compareRow(s, a, b, rowLength, labels, 0);
      }
    }
    const merged = emptyTotals();
    mergeSums(merged, acc.takeSums());
    mergeTotals(merged, acc.totals());
    expect(findAmbiguities(merged.phaseCounts)).toEqual([{ component: 4, k: 1, pixels: 1_000_000 }]);
    const without = statisticsWithout(merged, [4]);
    expect(without.compared).toBe(compared);
    expect(Math.abs(without.meanAbsDiff / (sumAbs / compared) - 1)).toBeLessThan(1e-12);
    expect(Math.abs(without.rmse / Math.sqrt(sumSquares / compared) - 1)).toBeLessThan(1e-12);
  });

  it('finds one-to-one relabellings and refuses merges', () => {
    const renamed = new Map([
      [1, new Map([[1, 10]])],
      [
        2,
        new Map([
          [3, 5],
          [2, 1],
        ]),
      ],
      [3, new Map([[2, 4]])],
    ]);
    expect(findRelabelling(renamed)).toEqual({
      pairs: [
        [2, 3],
        [3, 2],
      ],
      pixels: 9,
    });
    const merged = new Map([
      [1, new Map([[1, 10]])],
      [2, new Map([[1, 5]])],
    ]);
    expect(findRelabelling(merged)).toBeNull();
  });

  it('takes percentiles from float32-bit histograms, never above the true value', () => {
    expect(binLowerEdge(0)).toBe(0);
    const histogram = new Uint32Array(HISTOGRAM_BINS);
    const values = Array.from({ length: 1000 }, (_, i) => (i + 1) / 1000);
    const bits = new Uint32Array(new Float32Array(values).buffer);
    for (const w of bits) histogram[w >>> 15]!++;
    const p99 = percentileFromHistogram(histogram, values.length, 0.99);
    expect(p99).toBeLessThanOrEqual(0.99);
    expect(p99).toBeGreaterThan(0.99 * (1 - 2 ** -8));
    expect(percentileFromHistogram(new Uint32Array(HISTOGRAM_BINS), 0, 0.99)).toBe(0);
  });
});
