import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The image cannot be built offline; these checks catch a Dockerfile that drifted from the repository. */
const root = join(import.meta.dirname, '..');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const ignored = readFileSync(join(root, '.dockerignore'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'));

describe('Dockerfile', () => {
  it('copies only paths that exist and that .dockerignore lets through', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(?:--\S+ )*(.+) \S+$/gm)].flatMap((m) => m[1]!.split(' '));
    expect(sources).toContain('templates');
    for (const source of sources) {
      expect(existsSync(join(root, source)), source).toBe(true);
      expect(
        ignored.includes(source) || ignored.includes(source.split('/')[0]!),
        `${source} is excluded by .dockerignore`,
      ).toBe(false);
    }
  });

  it('pins its base images and ISCE2, and enters through the processor CLI', () => {
    expect(dockerfile).not.toMatch(/:latest\b/);
    expect(dockerfile).toMatch(/ARG MICROMAMBA_IMAGE=mambaorg\/micromamba:\d+\.\d+\.\d+/);
    expect(readFileSync(join(root, 'docker/environment.yml'), 'utf8')).toMatch(/- isce2=\d+\.\d+\.\d+/);
    expect(dockerfile).toContain('ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]');
    const entrypoint = readFileSync(join(root, 'docker/entrypoint.sh'), 'utf8');
    expect(entrypoint).toContain('exec node /app/lib/cli/isce2-topsapp.js "$@"');
    expect(existsSync(join(root, 'src/cli/isce2-topsapp.ts'))).toBe(true);
    expect(entrypoint).not.toMatch(/\becho\b|set -x|printenv/);
    expect(spawnSync('bash', ['-n', join(root, 'docker/entrypoint.sh')]).status).toBe(0);
  });

  it('keeps ISCE2 scratch and data out of the build context', () => {
    for (const pattern of ['**/merged', '**/*.zip', '**/*.SAFE', '**/*.nc', 'node_modules'])
      expect(ignored).toContain(pattern);
  });
});
