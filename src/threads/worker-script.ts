import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The script of a worker thread beside the module that starts it (`relative` to that module's `import.meta.url`),
 * or null when it is not there. The built package (lib/) always has it; the TypeScript sources the tests run from do
 * not (a worker thread cannot load .ts), and there each caller does the same work on its own thread instead. The
 * one place that choice is made, for the comparison pool, the slab encoders and packaging's side thread.
 */
export function builtWorkerScript(relative: string, base: string): URL | null {
  const url = new URL(relative, base);
  return existsSync(fileURLToPath(url)) ? url : null;
}
