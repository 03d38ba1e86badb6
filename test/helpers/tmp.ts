import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * Temporary directories for tests, all removed when the test file is done: one clean-up registered when this module
 * is first imported (at file level, where vitest runs it after the file's last test), and the process's exit as a
 * backstop. Directories made inside a test body are removed too (a hook registered there would not run).
 */
const made = new Set<string>();

function removeAll(): void {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
  made.clear();
}

afterAll(removeAll);
process.once('exit', removeAll);

/** A fresh directory under the system temp dir, removed after the test file. */
export function tempDir(prefix = 'gunw-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.add(dir);
  return dir;
}
