import { readFileSync } from 'node:fs';

/** This package's name and version, read from its package.json (two levels above lib/cli and src/cli). */
export function toolIdentity(): { name: string; version: string } {
  try {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      name?: string;
      version?: string;
    };
    return { name: manifest.name ?? 'dockerized-topsapp', version: manifest.version ?? '0.0.0' };
  } catch {
    return { name: 'dockerized-topsapp', version: '0.0.0' };
  }
}
