import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** `npm run build` (run before the tests) replaces lib/io/execa.js with one bundled file; the commands use it. */
const BUILT = join(import.meta.dirname, '../../lib/io/execa.js');

describe('the built execa', () => {
  it('is one file that imports no execa modules, and runs commands as execa does', async () => {
    const text = readFileSync(BUILT, 'utf8');
    expect(/from ['"]execa['"]/.test(text)).toBe(false);
    expect(/^import .* from ['"](?!node:)/m.test(text)).toBe(false);
    const { execa } = (await import(BUILT)) as typeof import('execa');
    const ok = await execa('git', ['--version'], { reject: false });
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toMatch(/^git version \d/);
    const failed = await execa(process.execPath, ['-e', 'process.stderr.write("bad"); process.exit(3)'], { reject: false });
    expect(failed.exitCode).toBe(3);
    expect(failed.stderr).toBe('bad');
  });
});
