import { describe, expect, it } from 'vitest';
import type { GroupSpec, VariableSpec } from '../../src/netcdf/spec.js';
import { DEMO_PERTURBATIONS, REGRESSED_PERTURBATIONS, samplePair } from '../../src/sample/pair.js';
import { gaussian, seededRandom } from '../../src/sample/random.js';

/** The sample pair is what the demo, the tests and the regression examples count on: its truth must be exact. */

function data(spec: GroupSpec, name: string): Float32Array | Int16Array {
  const group = spec.groups!.science!.groups!.grids!.groups!.data!;
  const variable = group.variables!.find((v: VariableSpec) => v.name === name);
  return variable?.data as Float32Array | Int16Array;
}

describe('the sample pair', () => {
  it('draws the same numbers for the same seed, different ones for another, in [0, 1)', () => {
    const a = Array.from({ length: 1000 }, seededRandom(7));
    expect(Array.from({ length: 1000 }, seededRandom(7))).toEqual(a);
    expect(Array.from({ length: 1000 }, seededRandom(8))).not.toEqual(a);
    expect(a.every((v) => v >= 0 && v < 1)).toBe(true);
    const normal = Array.from({ length: 20_000 }, gaussian(seededRandom(3)));
    const mean = normal.reduce((s, v) => s + v, 0) / normal.length;
    const variance = normal.reduce((s, v) => s + (v - mean) ** 2, 0) / normal.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it('plants exactly the differences its truth counts', () => {
    const { reference, candidate, truth } = samplePair(REGRESSED_PERTURBATIONS);
    const phase = [data(reference, 'unwrappedPhase'), data(candidate, 'unwrappedPhase')];
    let nanMismatch = 0;
    let slipped = 0;
    for (let i = 0; i < phase[0]!.length; i++) {
      const [r, c] = [phase[0]![i]!, phase[1]![i]!];
      if (!Number.isNaN(r) && Number.isNaN(c)) nanMismatch++;
      else if (!Number.isNaN(r) && !Number.isNaN(c) && Math.abs(c - r - 2 * Math.PI) < 0.01) slipped++;
    }
    expect(nanMismatch).toBe(truth.nanMismatchPixels);
    expect(slipped).toBe(truth.cycleSlipPixels);
    expect(truth.nanMismatchPixels).toBeGreaterThan(0);
    const coherence = [data(reference, 'coherence'), data(candidate, 'coherence')];
    let shifted = 0;
    for (let i = 0; i < coherence[0]!.length; i++)
      if (Math.abs(coherence[1]![i]! - coherence[0]![i]! - 0.05) < 0.001) shifted++;
    expect(shifted).toBe(truth.coherenceShiftPixels);
    // The regressed candidate leaves amplitude out; the reference has it.
    expect(data(candidate, 'amplitude')).toBeUndefined();
    expect(data(reference, 'amplitude')).toBeInstanceOf(Float32Array);
  });

  it('makes the demo pair without NaN mismatches or coherence shifts, and the same pair every time', () => {
    const one = samplePair(DEMO_PERTURBATIONS);
    expect(one.truth).toMatchObject({ nanMismatchPixels: 0, coherenceShiftPixels: 0 });
    expect(one.truth.relabelledPixels).toBeGreaterThan(0);
    const two = samplePair(DEMO_PERTURBATIONS);
    expect(
      Buffer.from(data(two.candidate, 'unwrappedPhase').buffer).equals(
        Buffer.from(data(one.candidate, 'unwrappedPhase').buffer),
      ),
    ).toBe(true);
  });
});
