#!/usr/bin/env node
// Bundle each reusable action (src/actions/<name>/index.ts) into dist/<name>/index.js, so callers need no build
// step. The output is committed and checked: `npm run build:actions` must leave `git status dist` clean
// (test/actions/dist.test.ts rebuilds into a temp directory and compares byte for byte).
//
//   node scripts/build-actions.mjs [--out DIR]
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { out: { type: 'string', default: join(root, 'dist') } } });
const actionsDir = join(root, 'src', 'actions');
const names = readdirSync(actionsDir).filter(
  (name) => name !== 'shared' && statSync(join(actionsDir, name)).isDirectory(),
);

for (const name of names.sort()) {
  await build({
    entryPoints: [join(actionsDir, name, 'index.ts')],
    outfile: join(values.out, name, 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    legalComments: 'eof',
    minify: true,
    keepNames: true,
    logLevel: 'warning',
    // Bundled CommonJS dependencies call require(); an ES module has none, so give it one.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
    },
  });
}
console.log(`bundled ${names.length} actions into ${values.out}: ${names.join(', ')}`);
