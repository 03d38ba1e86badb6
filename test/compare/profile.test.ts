import { describe, expect, it } from 'vitest';
import { globToRegExp } from '../../src/compare/glob.js';
import { parseProfile } from '../../src/compare/profile-file.js';
import { allowedPixels, resolveProfile } from '../../src/compare/profile.js';
import { ValidationError } from '../../src/errors.js';
import { samplePair } from '../../src/sample/pair.js';
import { DATA, diffSpecs, layer } from '../helpers/diff.js';

describe('tolerance profiles', () => {
  it('matches globs within and across path segments', () => {
    expect(globToRegExp('**/coherence').test('/science/grids/data/coherence')).toBe(true);
    expect(globToRegExp('**/coherence').test('/science/grids/data/unfilteredCoherence')).toBe(false);
    expect(globToRegExp('/science/*/data').test('/science/grids/data')).toBe(true);
    expect(globToRegExp('/science/*/data').test('/science/a/b/data')).toBe(false);
    expect(globToRegExp('**@*version*').test('/@isce2_topsapp_version')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });

  it('gives GUNW layers their built-in tolerances and comparators', () => {
    const profile = resolveProfile(null);
    expect(profile.layerRule(`${DATA}/unwrappedPhase`)).toMatchObject({
      comparator: 'unwrapped-phase',
      abs: 1e-3,
      units: 'rad',
    });
    expect(profile.layerRule(`${DATA}/connectedComponents`)).toMatchObject({ comparator: 'labels', abs: 0 });
    expect(profile.layerRule('/science/grids/imagingGeometry/perpendicularBaseline')).toMatchObject({
      abs: 1e-3,
      units: 'meter',
    });
    expect(profile.layerRule('/some/unknown/thing')).toMatchObject({ comparator: 'values', abs: 1e-6, rel: 1e-6 });
  });

  it('layers a user profile over the built-in one, setting by setting', () => {
    const user = parseProfile(
      'layers:\n  - match: "**/coherence"\n    abs: 0.01\n    maxExceeding: "1%"\n',
      'user.yml',
    );
    const profile = resolveProfile(user);
    expect(profile.layerRule(`${DATA}/coherence`)).toMatchObject({
      abs: 0.01,
      units: 'unitless',
      maxExceeding: '1%',
      comparator: 'values',
    });
    expect(profile.layerRule(`${DATA}/unwrappedPhase`)).toMatchObject({ abs: 1e-3 });
    const standalone = resolveProfile(
      parseProfile('{"extends": "none", "layers": [{"match": "**", "abs": 5}]}', 'p.json'),
    );
    expect(standalone.layerRule(`${DATA}/unwrappedPhase`)).toMatchObject({ abs: 5, comparator: 'values' });
  });

  it('reports every problem of a bad profile with its field path', () => {
    const bad =
      'layers:\n  - match: "**/x"\n    abs: -1\n    maxExceeding: "lots"\n  - abs: 2\nattributes:\n  ignre: []\n';
    let error: unknown;
    try {
      parseProfile(bad, 'bad.yml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const problems = (error as ValidationError).problems;
    expect(problems.some((p) => p.startsWith('layers.0.abs:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('layers.0.maxExceeding:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('layers.1.match:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('attributes:') && p.includes('ignre'))).toBe(true);
    expect((error as Error).message.split('\n')).toHaveLength(1);
    expect(() => parseProfile('layers: [', 'broken.yml')).toThrow(
      /bad tolerance profile broken\.yml: not valid YAML\/JSON/,
    );
  });

  it('turns percentage allowances into pixel counts', () => {
    expect(allowedPixels(7, 1000)).toBe(7);
    expect(allowedPixels('0.5%', 1000)).toBe(5);
    expect(allowedPixels('1%', 199)).toBe(1);
  });

  it('lets a profile tolerate known differences and ignore layers', async () => {
    const { reference, candidate, truth } = samplePair(
      { coherenceShift: { row0: 40, col0: 40, rows: 5, cols: 5, value: 0.05 } },
      { rows: 100, cols: 120 },
    );
    const loose = parseProfile(
      `layers:\n  - match: "**/coherence"\n    maxExceeding: ${truth.coherenceShiftPixels}\n  - match: "**/amplitude"\n    ignore: true\n`,
      'loose.yml',
    );
    const result = await diffSpecs(reference, candidate, { profile: loose });
    expect(layer(result, `${DATA}/coherence`).verdict).toBe('pass');
    expect(layer(result, `${DATA}/amplitude`).verdict).toBe('skipped');
    expect(result.report.verdict).toBe('pass');
  });
});
