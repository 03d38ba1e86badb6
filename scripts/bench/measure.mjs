// Shared by the benchmark scripts: time a command under GNU time and take medians.
import { spawnSync } from 'node:child_process';

export const TIME = '/usr/bin/time';

/** Run a command under /usr/bin/time -v: wall seconds, peak RSS in MB, exit status and stdout. */
export function measure(command, args) {
  const result = spawnSync(TIME, ['-v', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(result.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
  if (!wall || !rss) throw new Error(`could not time ${command}: ${result.stderr.slice(-500)}`);
  const seconds = Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]);
  return { seconds, rssMb: Number(rss[1]) / 1024, status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
