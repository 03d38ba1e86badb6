import { describe, expect, it } from 'vitest';
import { diffReportSchema } from '../../src/compare/report-schema.js';
import type { GroupSpec, VariableSpec } from '../../src/netcdf/spec.js';
import { DEMO_PERTURBATIONS, REGRESSED_PERTURBATIONS, samplePair, type Perturbations } from '../../src/sample/pair.js';
import { DATA, diffSpecs, layer } from '../helpers/diff.js';

const SIZE = { rows: 120, cols: 144 };

function pair(p: Perturbations) {
  return samplePair(p, SIZE);
}

function dataVariable(spec: GroupSpec, name: string): VariableSpec {
  const found = spec.groups!.science!.groups!.grids!.groups!.data!.variables!.find((v) => v.name === name);
  if (!found) throw new Error(name);
  return found;
}

/** Statistics of candidate − reference over pixels valid in both, computed the plain way. */
function expectedStatistics(reference: Float32Array, candidate: Float32Array, fill: number, tolerance: number) {
  const diffs: number[] = [];
  for (let i = 0; i < reference.length; i++) {
    const [a, b] = [reference[i]!, candidate[i]!];
    if (Number.isNaN(a) || Number.isNaN(b) || a === fill || b === fill) continue;
    diffs.push(b - a);
  }
  const abs = diffs.map(Math.abs).sort((x, y) => x - y);
  return {
    compared: diffs.length,
    maxAbsDiff: abs.at(-1) ?? 0,
    meanAbsDiff: abs.reduce((s, v) => s + v, 0) / abs.length,
    rmse: Math.sqrt(diffs.reduce((s, v) => s + v * v, 0) / diffs.length),
    p99AbsDiff: abs[Math.ceil(0.99 * abs.length) - 1]!,
    exceeding: abs.filter((v) => v > tolerance).length,
  };
}

describe('gunw diff engine on GUNW-shaped products', () => {
  it('reports identical products as a pass with every statistic zero', async () => {
    const { reference } = pair({});
    const result = await diffSpecs(reference, reference);
    expect(diffReportSchema.parse(result.report).verdict).toBe('pass');
    expect(result.report.failures).toEqual([]);
    expect(result.report.attributes).toEqual([]);
    expect(result.report.structure).toEqual({ onlyInReference: [], onlyInCandidate: [], changed: [] });
    for (const l of result.report.layers) {
      expect([l.path, l.maxAbsDiff, l.meanAbsDiff, l.rmse, l.p99AbsDiff, l.exceeding, l.nanMismatch]).toEqual([
        l.path,
        0,
        0,
        0,
        0,
        0,
        0,
      ]);
      expect(l.validReference).toBe(l.validCandidate);
    }
    expect(layer(result, `${DATA}/unwrappedPhase`).compared).toBeGreaterThan(1000);
  });

  it('passes noise within tolerance and its statistics match an independent computation', async () => {
    const { reference, candidate } = pair({ noiseSigma: 1e-4 });
    const result = await diffSpecs(reference, candidate);
    expect(result.report.verdict).toBe('pass');
    for (const name of ['coherence', 'amplitude', 'unwrappedPhase']) {
      const got = layer(result, `${DATA}/${name}`);
      const want = expectedStatistics(
        dataVariable(reference, name).data as Float32Array,
        dataVariable(candidate, name).data as Float32Array,
        0,
        1e-3,
      );
      expect(got.compared).toBe(want.compared);
      expect(got.exceeding).toBe(0);
      expect(got.maxAbsDiff).toBe(want.maxAbsDiff);
      expect(got.meanAbsDiff).toBeCloseTo(want.meanAbsDiff, 12);
      expect(got.rmse).toBeCloseTo(want.rmse, 12);
      // p99 is the lower edge of a histogram bin 2^-8 wide (relative): never above the true value, at most that far
      // below.
      expect(got.p99AbsDiff).toBeLessThanOrEqual(want.p99AbsDiff);
      expect(got.p99AbsDiff).toBeGreaterThanOrEqual(want.p99AbsDiff * (1 - 2 ** -8) - 1e-12);
    }
  });

  it('counts pixels beyond tolerance exactly and fails the layer', async () => {
    const shift = { row0: 80, col0: 40, rows: 10, cols: 12, value: 0.05 };
    const { reference, candidate, truth } = pair({ coherenceShift: shift });
    const result = await diffSpecs(reference, candidate);
    const coherence = layer(result, `${DATA}/coherence`);
    expect(coherence.exceeding).toBe(truth.coherenceShiftPixels);
    expect(truth.coherenceShiftPixels).toBe(120);
    expect(coherence.maxAbsDiff).toBeCloseTo(0.05, 6);
    expect(coherence.verdict).toBe('fail');
    expect(result.report.verdict).toBe('fail');
    expect(result.report.failures.some((f) => f.startsWith(`${DATA}/coherence: 120 pixels differ`))).toBe(true);
  });

  it('reports a connected component shifted by 2π as an ambiguity, not a failure, unless --strict-phase', async () => {
    const { reference, candidate, truth } = pair({ cycleSlip: { component: 4, k: 1 } });
    const lenient = await diffSpecs(reference, candidate);
    const phase = layer(lenient, `${DATA}/unwrappedPhase`);
    expect(phase.ambiguities).toEqual([{ component: 4, k: 1, pixels: truth.cycleSlipPixels }]);
    expect(phase.exceeding).toBe(0);
    expect(phase.verdict).toBe('pass');
    expect(phase.maxAbsDiff).toBeCloseTo(2 * Math.PI, 4);
    // Without component 4 nothing else of the phase differs: the statistics say so at a glance.
    expect(phase.withoutAmbiguities).toEqual({
      compared: phase.compared - truth.cycleSlipPixels,
      maxAbsDiff: 0,
      meanAbsDiff: 0,
      rmse: 0,
    });
    expect(lenient.report.verdict).toBe('pass');

    const strict = await diffSpecs(reference, candidate, { strictPhase: true });
    expect(layer(strict, `${DATA}/unwrappedPhase`).verdict).toBe('fail');
    expect(strict.report.verdict).toBe('fail');
  });

  it('does not call a partial 2π shift an ambiguity', async () => {
    const { reference, candidate } = pair({});
    const phase = dataVariable(candidate, 'unwrappedPhase').data as Float32Array;
    const labels = dataVariable(reference, 'connectedComponents').data as Float32Array;
    let shifted = 0;
    // Shift only the first 50 pixels of component 4: the component is not uniformly off by 2π.
    for (let i = 0; i < phase.length && shifted < 50; i++) {
      if (labels[i] === 4 && !Number.isNaN(phase[i]!) && phase[i] !== 0) {
        phase[i]! += 2 * Math.PI;
        shifted++;
      }
    }
    const result = await diffSpecs(reference, candidate);
    const layerReport = layer(result, `${DATA}/unwrappedPhase`);
    expect(layerReport.ambiguities).toEqual([]);
    expect(layerReport.exceeding).toBe(50);
    expect(layerReport.verdict).toBe('fail');
  });

  it('fails the pixels of component 0 off by 2π, naming component 0, however uniformly they are shifted', async () => {
    const { reference, candidate } = pair({});
    const phase = dataVariable(candidate, 'unwrappedPhase').data as Float32Array;
    const labels = dataVariable(reference, 'connectedComponents').data as Float32Array;
    const candidateLabels = dataVariable(candidate, 'connectedComponents').data as Float32Array;
    // 60 valid pixels of component 4 become component 0 in both products, then all of them are shifted by 2π.
    let shifted = 0;
    for (let i = 0; i < phase.length && shifted < 60; i++) {
      if (labels[i] === 4 && !Number.isNaN(phase[i]!)) {
        labels[i] = 0;
        candidateLabels[i] = 0;
        phase[i]! += 2 * Math.PI;
        shifted++;
      }
    }
    expect(shifted).toBe(60);
    const layerReport = layer(await diffSpecs(reference, candidate), `${DATA}/unwrappedPhase`);
    expect(layerReport.ambiguities).toEqual([]);
    expect(layerReport.exceeding).toBe(shifted);
    expect(layerReport.verdict).toBe('fail');
    expect(layerReport.reasons[0]).toMatch(
      new RegExp(
        `^${shifted} pixels differ by more than .*, ${shifted} of them in connected component 0 \\(not unwrapped\\), off by whole 2π cycles$`,
      ),
    );
  });

  it('counts NaN-mask changes exactly', async () => {
    const { reference, candidate, truth } = pair({ nanBlock: { row0: 20, col0: 60, rows: 6, cols: 9 } });
    const phase = layer(await diffSpecs(reference, candidate), `${DATA}/unwrappedPhase`);
    expect(truth.nanMismatchPixels).toBe(54);
    expect(phase.nanMismatch).toBe(54);
    expect(phase.validReference - phase.validCandidate).toBe(54);
    expect(phase.verdict).toBe('fail');
  });

  it('reports relabelled connected components as a relabelling', async () => {
    const { reference, candidate, truth } = pair({
      relabel: [
        [2, 3],
        [3, 2],
      ],
    });
    const result = await diffSpecs(reference, candidate);
    const labels = layer(result, `${DATA}/connectedComponents`);
    expect(labels.relabelling).toEqual({
      pairs: [
        [2, 3],
        [3, 2],
      ],
      pixels: truth.relabelledPixels,
    });
    expect(labels.exceeding).toBe(0);
    expect(labels.verdict).toBe('pass');
    expect(result.report.verdict).toBe('pass');
  });

  it('reports a removed variable, a changed dtype and a changed attribute', async () => {
    const { reference, candidate } = pair({ dropVariable: 'coherence', amplitudeAsDouble: true, coherenceUnits: '1' });
    const removed = await diffSpecs(reference, candidate);
    expect(removed.report.structure.onlyInReference).toEqual([{ kind: 'variable', path: `${DATA}/coherence` }]);
    expect(removed.report.structure.changed).toContainEqual({
      kind: 'variable',
      path: `${DATA}/amplitude`,
      property: 'dtype',
      reference: 'f4',
      candidate: 'f8',
      storage: false,
    });
    // Values still compare across dtypes: float32 values widened to float64 are equal.
    expect(layer(removed, `${DATA}/amplitude`).maxAbsDiff).toBe(0);
    expect(removed.report.verdict).toBe('fail');

    const { reference: r2, candidate: c2 } = pair({ coherenceUnits: '1' });
    const attributes = (await diffSpecs(r2, c2)).report.attributes;
    expect(attributes).toEqual([
      expect.objectContaining({
        path: `${DATA}/coherence`,
        name: 'units',
        change: 'changed',
        reference: 'unitless',
        candidate: '1',
        informational: false,
      }),
    ]);
  });

  it('diffs the provenance command line parameter by parameter, lists versions apart and never shows secrets', async () => {
    const { reference, candidate } = pair(REGRESSED_PERTURBATIONS);
    const result = await diffSpecs(reference, candidate);
    const { provenance } = result.report;
    expect(provenance.parameters.map((p) => [p.name, p.change, p.informational])).toEqual([
      ['bucket', 'changed', true],
      ['bucket-prefix', 'changed', true],
      ['esd-coherence-threshold', 'changed', false],
      ['username', 'onlyInReference', true],
    ]);
    expect(provenance.versions).toContainEqual({
      path: '/',
      name: 'isce2_topsapp_version',
      reference: '0.3.8',
      candidate: '0.4.0',
      changed: true,
    });
    expect(provenance.reference?.commandLine).toContain('--password ***');
    expect(provenance.reference?.parameters.password).toEqual(['***']);
    expect(JSON.stringify(result.report)).not.toMatch(/hunter2/);
    expect(result.report.failures).toContain('parameter --esd-coherence-threshold: -1 → 0.7');
  });

  it('passes the demo pair and explains every difference in it', async () => {
    const { reference, candidate } = pair(DEMO_PERTURBATIONS);
    const result = await diffSpecs(reference, candidate);
    expect(result.report.failures).toEqual([]);
    expect(layer(result, `${DATA}/unwrappedPhase`).ambiguities).toHaveLength(1);
    expect(layer(result, `${DATA}/connectedComponents`).relabelling).not.toBeNull();
    expect(result.report.attributes.every((a) => a.informational)).toBe(true);
  });

  it('keeps difference maps only for layers that fail or show ambiguities', async () => {
    const { reference, candidate } = pair({
      cycleSlip: { component: 4, k: -1 },
      coherenceShift: { row0: 10, col0: 50, rows: 4, cols: 4, value: 0.5 },
    });
    const result = await diffSpecs(reference, candidate, { previews: true });
    expect([...result.previews.keys()].sort()).toEqual([`${DATA}/coherence`, `${DATA}/unwrappedPhase`]);
    const map = result.previews.get(`${DATA}/coherence`)!;
    expect([map.rows, map.cols]).toEqual([SIZE.rows, SIZE.cols]);
    expect(Math.max(...Array.from(map.diff).filter((v) => !Number.isNaN(v)))).toBeCloseTo(0.5, 5);
  });
});

describe('storage differences', () => {
  it('reports chunking and compression changes only with --check-storage', async () => {
    const { reference } = pair({});
    const candidate = structuredClone<GroupSpec>(reference);
    const data = candidate.groups!.science!.groups!.grids!.groups!.data! as { variables: VariableSpec[] };
    data.variables = data.variables.map((v) =>
      v.name === 'coherence'
        ? { ...v, chunks: [Math.ceil(SIZE.rows / 3), SIZE.cols], deflate: undefined, shuffle: undefined }
        : v,
    );
    const lenient = await diffSpecs(reference, candidate);
    expect(lenient.report.structure.changed).toEqual([]);
    expect(lenient.report.verdict).toBe('pass');
    const strict = await diffSpecs(reference, candidate, { checkStorage: true });
    expect(strict.report.structure.changed.map((c) => [c.path, c.property, c.storage])).toEqual([
      [`${DATA}/coherence`, 'chunks', true],
      [`${DATA}/coherence`, 'filters', true],
    ]);
    expect(strict.report.verdict).toBe('fail');
  });
});
