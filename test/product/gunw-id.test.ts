import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gunwProductId as exported } from '../../src/index.js';
import {
  centreTime,
  GUNW_ID_PATTERN,
  gunwProductId,
  roundHalfEven,
  sceneHash,
  type GunwIdInput,
} from '../../src/product/gunw-id.js';

const examples = JSON.parse(
  readFileSync(join(import.meta.dirname, '../fixtures/gunw-id-examples.json'), 'utf8'),
) as Record<string, GunwIdInput & { expected: string }>;

describe('gunwProductId', () => {
  it.each(Object.keys(examples))('reproduces the worked example %s exactly', (name) => {
    const example = examples[name]!;
    const id = exported(example);
    expect(id).toBe(example.expected);
    expect(id).toMatch(GUNW_ID_PATTERN);
  });

  it('matches the product named in the real RAiDER delivery JSON up to the geo token and version', () => {
    // The JSON's own label uses the older latitude-pair geo token; date, time and hash are the same algorithm.
    expect(gunwProductId(examples['raider-064']!)).toContain('-20210723_20210711-015000-');
    expect(gunwProductId(examples['raider-064']!)).toContain('-PP-6267-');
  });

  it('takes the date of the centre time for a pass crossing midnight, truncating the half second', () => {
    const centre = centreTime(examples.midnight!.reference);
    expect(centre.toISOString()).toBe('2023-01-06T23:59:59.500Z');
    expect(gunwProductId(examples.midnight!)).toContain('-20230106_20221214-235959-');
  });

  it('gives another hash when reference and secondary are swapped', () => {
    const example = examples['frame-25502']!;
    expect(
      sceneHash(
        example.secondary.map((s) => s.sceneName),
        example.reference.map((s) => s.sceneName),
      ),
    ).toBe('96e4');
  });

  it('names custom products S1-GUNW_CUSTOM and uses the given dataset version', () => {
    const id = gunwProductId({ ...examples['frame-25502']!, standard: false, datasetVersion: '3.0.1' });
    expect(id.startsWith('S1-GUNW_CUSTOM-A-R-164-')).toBe(true);
    expect(id.endsWith('-v3_0_1')).toBe(true);
  });

  it('decides the hemisphere letters on the unrounded corner', () => {
    const base = examples['frame-25502']!;
    expect(gunwProductId({ ...base, extent: [-0.4, -0.2, 1, 1] })).toContain('-00000W_00000S-');
    expect(gunwProductId({ ...base, extent: [0.3, 0.4, 1, 1] })).toContain('-00000E_00000N-');
    expect(gunwProductId({ ...base, extent: [-118.5, 33.5, 1, 40] })).toContain('-00118W_00034N-');
  });

  it('refuses inputs it cannot name', () => {
    const base = examples['frame-25502']!;
    expect(() => gunwProductId({ ...base, secondary: [] })).toThrow(/reference and secondary/);
    expect(() =>
      gunwProductId({ ...base, reference: base.reference.map((r) => ({ ...r, flightDirection: 'SIDEWAYS' })) }),
    ).toThrow(/SIDEWAYS/);
    expect(() =>
      gunwProductId({ ...base, reference: base.reference.map((r) => ({ ...r, startTime: 'yesterday' })) }),
    ).toThrow(/yesterday/);
  });
});

describe('roundHalfEven', () => {
  it('rounds halves to the even neighbour like Python round()', () => {
    expect([-118.5, -119.5, 0.5, 1.5, 2.5, -0.5, 2.4999, 2.5001].map(roundHalfEven)).toEqual([
      -118, -120, 0, 2, 2, 0, 2, 3,
    ]);
  });
});
