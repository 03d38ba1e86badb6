#!/usr/bin/env node
// Replace the compiled lib/io/execa.js (a re-export of execa) with one bundled file of the same exports, so that
// commands that run git or topsApp do not resolve execa's ~100 ES modules at every start. Run by `npm run build`
// after tsc; the type declarations (lib/io/execa.d.ts) stay tsc's.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  entryPoints: [join(root, 'src', 'io', 'execa.ts')],
  outfile: join(root, 'lib', 'io', 'execa.js'),
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  legalComments: 'eof',
  logLevel: 'warning',
  // Bundled CommonJS dependencies (cross-spawn) call require(); an ES module has none, so give it one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
});
