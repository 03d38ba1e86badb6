import { describe, expect, it } from 'vitest';
import type { DiffReport } from '../../src/compare/report-schema.js';
import { headlineFailure, worstLayer } from '../../src/compare/verdict.js';
import { summarise } from '../../src/regression/run.js';

type Layer = DiffReport['layers'][number];

const layer = (path: string, verdict: Layer['verdict'], exceeding: number, maxAbsDiff: number): Layer => ({
  path,
  dtype: 'float32',
  shape: [10, 10],
  comparedShape: [10, 10],
  comparator: 'values',
  units: 'rad',
  tolerance: { abs: 0, rel: 0 } as Layer['tolerance'],
  validReference: 100,
  validCandidate: 100,
  compared: 100,
  nanMismatch: 0,
  maxAbsDiff,
  meanAbsDiff: 0,
  rmse: 0,
  p99AbsDiff: 0,
  exceeding,
  ambiguities: [],
  relabelling: null,
  verdict,
  reasons: verdict === 'fail' ? [`${exceeding} px over`] : [],
  diffMap: null,
});

describe('the worst layer, named the same everywhere', () => {
  // Listed first (as in the product) but less bad: the console once named it while the summary named coherence.
  const layers = [
    layer('/science/grids/data/unwrappedPhase', 'fail', 10, 6.3),
    layer('/science/grids/data/coherence', 'fail', 296, 0.4),
    layer('/science/grids/data/amplitude', 'pass', 0, 9),
  ];
  const report = {
    layers,
    failures: layers.filter((l) => l.verdict === 'fail').map((l) => `${l.path}: ${l.reasons.join('; ')}`),
  } as unknown as DiffReport;

  it('is the failing layer with the most pixels over tolerance, in the case reason and in the summary', () => {
    expect(worstLayer(report)?.path).toBe('/science/grids/data/coherence');
    expect(headlineFailure(report)).toBe('/science/grids/data/coherence: 296 px over');
    expect(
      summarise({
        ...report,
        structure: { onlyInReference: [], onlyInCandidate: [], changed: [] },
        provenance: { parameters: [] },
      } as unknown as DiffReport).worstLayer?.path,
    ).toBe('/science/grids/data/coherence');
  });

  it('falls back to the first failure when no layer fails (a structural difference)', () => {
    const structural = {
      layers: [layer('/a', 'pass', 0, 1)],
      failures: ['variable /b is missing from the candidate'],
    } as unknown as DiffReport;
    expect(headlineFailure(structural)).toBe('variable /b is missing from the candidate');
  });
});
