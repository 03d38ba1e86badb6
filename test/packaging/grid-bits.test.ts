import { describe, expect, it } from 'vitest';
import { GridBits } from '../../src/packaging/grid-bits.js';
import { RunningMean } from '../../src/packaging/layers.js';

/** 100 pixels flagged where pixel % 7 === 3 or 40 ≤ pixel < 56 (a whole flagged stretch), built in blocks of 24. */
const flagged = (p: number): boolean => p % 7 === 3 || (p >= 40 && p < 56);
const bits = GridBits.build(100, 24, (start, count) =>
  Uint8Array.from({ length: count }, (_, i) => (flagged(start + i) ? 1 : 0)),
);

describe('grid bits', () => {
  it('keeps one flag per pixel across blocks and the last, short byte', () => {
    expect(Array.from({ length: 100 }, (_, p) => bits.has(p))).toEqual(
      Array.from({ length: 100 }, (_, p) => flagged(p)),
    );
    expect(() => GridBits.build(10, 12, () => new Uint8Array(12))).toThrow(/whole bytes/);
  });

  it('fills flagged pixels of a row block that starts inside a byte', () => {
    const values = new Float32Array(61).fill(1);
    bits.fill(values, 13, -5);
    expect(Array.from(values)).toEqual(Array.from({ length: 61 }, (_, i) => (flagged(13 + i) ? -5 : 1)));
  });

  it('leaves flagged pixels out of a running mean (and in the unmasked one), continuing one float64 sum over blocks', () => {
    const values = Float32Array.from({ length: 100 }, (_, p) => (p % 5 === 0 ? 0 : p / 10));
    const mean = new RunningMean();
    const all = new RunningMean();
    mean.addExcept(values.subarray(0, 37), bits, 0, all);
    mean.addExcept(values.subarray(37), bits, 37, all);
    const kept = Array.from(values).filter((v, p) => v !== 0 && !flagged(p));
    expect(mean.value).toBe(kept.reduce((a, b) => a + b, 0) / kept.length);
    const valid = Array.from(values).filter((v) => v !== 0);
    expect(all.value).toBe(valid.reduce((a, b) => a + b, 0) / valid.length);
  });
  it('counts no NaN, infinity or zero of either sign in either mean, one pixel at a time in float64 as before', () => {
    const special = [Number.NaN, Infinity, -Infinity, -0, 0];
    const values = Float32Array.from({ length: 100 }, (_, p) => (p % 9 < 5 ? special[p % 9]! : Math.fround(p / 7 - 3)));
    const mean = new RunningMean();
    const all = new RunningMean();
    const plain = new RunningMean();
    for (let start = 0; start < 100; start += 30) {
      mean.addExcept(values.subarray(start, start + 30), bits, start, all);
      plain.add(values.subarray(start, start + 30));
    }
    const sum = (kept: (p: number) => boolean): number => {
      let [s, n] = [0, 0];
      for (let p = 0; p < 100; p++) {
        const v = values[p]!;
        if (kept(p) && Number.isFinite(v) && v !== 0) [s, n] = [s + v, n + 1];
      }
      return s / n;
    };
    expect(mean.value).toBe(sum((p) => !flagged(p)));
    expect(all.value).toBe(sum(() => true));
    expect(plain.value).toBe(sum(() => true));
  });
});
