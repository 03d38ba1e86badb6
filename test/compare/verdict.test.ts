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

/** A report with nothing in it but what a test sets. */
const reportWith = (parts: Partial<DiffReport>): DiffReport =>
  ({
    layers: [],
    structure: { onlyInReference: [], onlyInCandidate: [], changed: [] },
    grids: [],
    textVariables: [],
    attributes: [],
    provenance: { parameters: [], versions: [] },
    representation: [],
    options: { checkStorage: false },
    failures: [],
    ...parts,
  }) as unknown as DiffReport;

describe('the worst layer, named the same everywhere', () => {
  // Listed first (as in the product) but less bad: the console once named it while the summary named coherence.
  const layers = [
    layer('/science/grids/data/unwrappedPhase', 'fail', 10, 6.3),
    layer('/science/grids/data/coherence', 'fail', 296, 0.4),
    layer('/science/grids/data/amplitude', 'pass', 0, 9),
  ];
  const report = reportWith({ layers });

  it('is the failing layer with the most pixels over tolerance, in the case reason and in the summary', () => {
    expect(worstLayer(report)?.path).toBe('/science/grids/data/coherence');
    expect(headlineFailure(report)).toBe('/science/grids/data/coherence: 296 px over');
    expect(summarise(report).worstLayer?.path).toBe('/science/grids/data/coherence');
  });

  it('gives way to a more severe failure of any kind: a missing layer, then a changed processing parameter', () => {
    const parameter = {
      name: 'esd-coherence-threshold',
      reference: ['-1'],
      candidate: ['0.7'],
      informational: false,
    };
    const attribute = {
      path: '/science/grids/data/coherence',
      name: 'units',
      change: 'changed',
      reference: 'unitless',
      candidate: '1',
      informational: false,
      expected: null,
    };
    const missing = { kind: 'variable', path: '/science/grids/data/amplitude' };
    // Every kind at once, then with the most severe taken away each time.
    const everything = {
      layers,
      attributes: [attribute] as unknown as DiffReport['attributes'],
      provenance: { parameters: [parameter] } as unknown as DiffReport['provenance'],
    };
    const structure = { onlyInReference: [missing], onlyInCandidate: [], changed: [] };
    expect(
      headlineFailure(reportWith({ ...everything, structure: structure as unknown as DiffReport['structure'] })),
    ).toBe('variable /science/grids/data/amplitude is missing from the candidate');
    expect(headlineFailure(reportWith(everything))).toBe('parameter --esd-coherence-threshold: -1 → 0.7');
    expect(headlineFailure(reportWith({ attributes: [attribute] as unknown as DiffReport['attributes'] }))).toBe(
      'attribute /science/grids/data/coherence@units: value changed',
    );
    expect(headlineFailure(reportWith({ layers: [layer('/a', 'pass', 0, 1)] }))).toBeNull();
  });
});
