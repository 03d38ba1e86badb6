import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPARATORS } from '../../src/compare/comparators/index.js';
import { COMPARATOR_NAMES } from '../../src/product/gunw-layout.js';

/** A comparator is one module of src/compare/comparators and one line of its index (CONTRIBUTING.md). */
const FOLDER = join(import.meta.dirname, '../../src/compare/comparators');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('the comparator registry', () => {
  it('registers one module per comparator under every name profiles and reports accept', () => {
    expect(Object.keys(COMPARATORS).sort()).toEqual([...COMPARATOR_NAMES].sort());
    const modules = readdirSync(FOLDER).filter((f) => !['index.ts', 'comparator.ts'].includes(f));
    expect(modules.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual([...COMPARATOR_NAMES].sort());
    expect(new Set(Object.values(COMPARATORS).map((c) => c.mode)).size).toBe(COMPARATOR_NAMES.length);
  });

  it('is the only place that tells comparators apart: no code tests a comparator by its name', () => {
    const offenders = sources(join(import.meta.dirname, '../../src')).filter((file) =>
      /comparator\s*[!=]==\s*'/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
