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
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// The same PEP 440 subset as src/cli/version.ts accepts.
const PEP440 = /^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?(\+[A-Za-z0-9]+(\.[A-Za-z0-9]+)*)?$/;

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
if (!PEP440.test(version)) {
  process.stderr.write(`error: version "${version}" is not a PEP 440 version such as 0.4.0 or 0.4.1.dev3+gabc1234\n`);
  process.exit(2);
}
if (!existsSync(join(root, 'lib/cli'))) {
  process.stderr.write('error: lib/cli is missing: run `npm run build` first\n');
  process.exit(2);
}
const target = join(root, 'lib/version.json');
writeFileSync(`${target}.tmp`, `${JSON.stringify({ version })}\n`);
renameSync(`${target}.tmp`, target);
process.stdout.write(`${version}\n`);
