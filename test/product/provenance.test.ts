import { describe, expect, it } from 'vitest';
import {
  diffParameters,
  normaliseValues,
  parseCommandLine,
  redactCommandLine,
  splitCommandLine,
} from '../../src/product/provenance.js';
import { redactText } from '../../src/redaction.js';

describe('provenance command lines', () => {
  it('splits like a shell for words and quotes', () => {
    expect(splitCommandLine(`a --x "b c" 'd e' f`)).toEqual(['a', '--x', 'b c', 'd e', 'f']);
    expect(splitCommandLine('a --empty ""')).toEqual(['a', '--empty', '']);
  });

  it('parses options with many values, --x=y forms, HyP3 ++ options and negative numbers', () => {
    const parsed = parseCommandLine(
      'isce2_topsapp ++process gunw_slc --reference-scenes A B --esd-coherence-threshold -1 --frame-id=25502 --dry-run',
    );
    expect(parsed.program).toBe('isce2_topsapp');
    expect(Object.fromEntries(parsed.parameters)).toEqual({
      process: ['gunw_slc'],
      'reference-scenes': ['A', 'B'],
      'esd-coherence-threshold': ['-1'],
      'frame-id': ['25502'],
      'dry-run': [],
    });
  });

  it('compares values as the processor reads them', () => {
    expect(normaliseValues(['A B', 'C'])).toEqual(['A', 'B', 'C']);
    expect(normaliseValues(['True'])).toEqual(['true']);
    expect(normaliseValues(['0.50'])).toEqual(['0.5']);
    const a = parseCommandLine('x --reference-scenes "A B" --unfiltered-coherence True --password p1');
    const b = parseCommandLine('x --reference-scenes A B --unfiltered-coherence true --password p2 --bucket out');
    expect(diffParameters(a, b, ['bucket'])).toEqual([
      { name: 'bucket', reference: null, candidate: ['out'], change: 'onlyInCandidate', informational: true },
    ]);
  });

  it('redacts every secret value and nothing else', () => {
    expect(redactCommandLine('isce2_topsapp --username me --password hunter2 --esa-password=s3 --frame-id 1')).toBe(
      'isce2_topsapp --username me --password *** --esa-password=*** --frame-id 1',
    );
    expect(redactText('token=abc123 and https://user:pw@host/path and password: "x y"')).toBe(
      'token=*** and https://***@host/path and password: "***"',
    );
    expect(redactText('no secrets here, version=3')).toBe('no secrets here, version=3');
  });
});
