import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

describe('committed action bundles', () => {
  it('are exactly what `npm run build:actions` makes from the sources (run it and commit dist/ if this fails)', () => {
    const out = mkdtempSync(join(tmpdir(), 'gunw-dist-'));
    try {
      execFileSync(process.execPath, [join(root, 'scripts/build-actions.mjs'), '--out', out], { stdio: 'pipe' });
      const built = readdirSync(out).sort();
      expect(readdirSync(join(root, 'dist')).sort()).toEqual(built);
      for (const name of built) {
        const fresh = readFileSync(join(out, name, 'index.js'), 'utf8');
        const committed = readFileSync(join(root, 'dist', name, 'index.js'), 'utf8');
        expect(committed === fresh, `dist/${name}/index.js is stale`).toBe(true);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('each action.yml runs its bundle', () => {
    for (const name of readdirSync(join(root, 'dist'))) {
      const yml = readFileSync(join(root, 'actions', name, 'action.yml'), 'utf8');
      expect(yml).toContain(`dist/${name}/index.js`);
    }
  });
});
