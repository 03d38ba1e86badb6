import type { CliIo } from './io.js';

const REDRAW_MS = 200;

/**
 * A one-line progress display on stderr, drawn only on a terminal and at most five times a second. Not cli-progress
 * (3.12: 62 KB unpacked, and string-width): it drives a TTY stream itself (process.stderr unless given another with
 * the cursor methods of one), while every line here goes through `CliIo`, where text is redacted and a closed pipe
 * is handled; wrapping `CliIo` as a TTY stream would take more than these 20 lines.
 */
export function progressReporter(
  io: CliIo,
  label: string,
  now: () => number = () => performance.now(),
): {
  update(done: number, total: number): void;
  finish(): void;
} {
  const started = now();
  let last = -Infinity;
  let drawn = false;
  return {
    update(done, total) {
      if (!io.stderrIsTTY || total === 0) return;
      const t = now();
      if (t - last < REDRAW_MS && done < total) return;
      last = t;
      const percent = Math.floor((100 * done) / total);
      const seconds = (t - started) / 1000;
      io.stderr(`\r${label}: ${percent}% (${seconds.toFixed(1)} s)`);
      drawn = true;
    },
    finish() {
      if (drawn) io.stderr('\r\x1b[K');
    },
  };
}
