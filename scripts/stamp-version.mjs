#!/usr/bin/env node
// Stamp the version this build runs as into lib/version.json, where `--version`, products and reports read it first.
// The image is built from a context without `.git` (.dockerignore), so the version the release tools computed comes
// in as an argument: the container action passes its own `version` output as the GUNW_VERSION build argument.
//
//   node scripts/stamp-version.mjs [VERSION]     (run after `npm run build`)
//
// Without VERSION: in a git checkout, the version `gunw version` computes there; otherwise package.json's version
// with the local label +unknown, and a warning, so an unversioned build says so instead of claiming a release.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'lib/cli'))) {
  process.stderr.write('error: lib/cli is missing: run `npm run build` first\n');
  process.exit(2);
}
// The check the tools apply when they read the stamp back (src/release/pep440.ts).
const { isNormalPep440 } = await import(pathToFileURL(join(root, 'lib/release/pep440.js')).href);

const given = (process.argv[2] ?? '').trim();
let version;
if (given !== '') {
  version = given;
} else if (existsSync(join(root, '.git'))) {
  version = execFileSync(process.execPath, [join(root, 'lib/cli/gunw.js'), 'version', '--repo', root], {
    encoding: 'utf8',
  }).trim();
} else {
  const { version: base } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  version = `${base}+unknown`;
  process.stderr.write(
    `warning: no version given and no .git here: stamping ${version} (pass the release version, e.g. --build-arg GUNW_VERSION=0.4.0)\n`,
  );
}
if (!isNormalPep440(version)) {
  process.stderr.write(`error: version "${version}" is not a PEP 440 version such as 0.4.0 or 0.4.1.dev3+gabc1234\n`);
  process.exit(2);
}
const target = join(root, 'lib/version.json');
writeFileSync(`${target}.tmp`, `${JSON.stringify({ version })}\n`);
renameSync(`${target}.tmp`, target);
process.stdout.write(`${version}\n`);
