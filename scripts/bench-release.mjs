#!/usr/bin/env node
// Times `gunw release plan` and `gunw version` on a repository of 5,000 commits and 10 release tags
// (made once with git fast-import under --dir). Target (issue #3): ≤ 0.3 s each, wall time of the whole command.
//
//   node scripts/bench-release.mjs [--dir /tmp/gunw-bench-release] [--runs 7]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { dir: { type: 'string', default: '/tmp/gunw-bench-release' }, runs: { type: 'string', default: '7' } },
});
const repo = values.dir;

if (!existsSync(join(repo, '.git'))) {
  mkdirSync(repo, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
  let stream = '';
  for (let i = 1; i <= 5000; i++) {
    const message = `fix: change ${i}\n`;
    const content = `line ${i}\n`;
    stream += `commit refs/heads/main\nmark :${i}\ncommitter Bench <bench@example.invalid> ${1_700_000_000 + i} +0000\ndata ${message.length}\n${message}`;
    if (i > 1) stream += `from :${i - 1}\n`;
    stream += `M 644 inline file.txt\ndata ${content.length}\n${content}\n`;
    if (i % 500 === 0) {
      const tagMessage = `release ${i / 500}\n`;
      stream += `tag v0.${i / 500}.0\nfrom :${i}\ntagger Bench <bench@example.invalid> ${1_700_000_000 + i} +0000\ndata ${tagMessage.length}\n${tagMessage}\n`;
    }
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: repo, input: stream });
  execFileSync('git', ['checkout', '-q', 'main'], { cwd: repo });
  // Work on top of the last tag, as a branch with unreleased commits would.
  execFileSync('git', ['reset', '-q', '--hard', 'HEAD~3'], { cwd: repo });
}

function time(args) {
  const samples = [];
  for (let i = 0; i < Number(values.runs); i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [join(root, 'lib/cli/gunw.js'), ...args, '--repo', repo], {
      encoding: 'utf8',
    });
    samples.push(Number(process.hrtime.bigint() - start) / 1e9);
    if (result.status !== 0) throw new Error(`gunw ${args.join(' ')} failed: ${result.stderr}`);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
}

console.log(`\nrelease tooling on ${repo} (5,000 commits, 10 tags; median of ${values.runs} runs, whole command)\n`);
console.log('| command | seconds | target ≤ 0.3 s |');
console.log('|---|---:|---|');
for (const args of [['release', 'plan', '--label', 'minor'], ['version']]) {
  const seconds = time(args);
  console.log(`| gunw ${args.join(' ')} | ${seconds.toFixed(3)} | ${seconds <= 0.3 ? 'meets' : 'misses'} |`);
}
