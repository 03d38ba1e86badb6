import { isAbsolute, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { CliIo } from '../io.js';

/** `--label a --label b,c` → ['a', 'b', 'c']. */
export function collectLabels(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((l) => l.trim())
      .filter((l) => l.length > 0),
  ];
}

export function repoPath(io: CliIo, repo: string | undefined): string {
  if (!repo) return io.cwd;
  return isAbsolute(repo) ? repo : resolve(io.cwd, repo);
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** `YYYY-MM-DD` → a UTC date (the day stamped on dirty development versions). */
export function parseDay(value: string): Date {
  const day = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(day.getTime()))
    throw new InvalidArgumentError('expected a date as YYYY-MM-DD');
  return day;
}

export function parseHashLength(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 4 || n > 40) throw new InvalidArgumentError('expected a whole number from 4 to 40');
  return n;
}
