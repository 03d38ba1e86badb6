import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { progressReporter } from '../../src/cli/progress.js';

function fakeIo(tty: boolean): CliIo & { err: string[] } {
  const err: string[] = [];
  return { err, stdout: () => undefined, stderr: (t) => err.push(t), stderrIsTTY: tty, cwd: '/' };
}

describe('progress on stderr', () => {
  it('draws a percentage line on a terminal, at most five times a second, and clears it at the end', () => {
    const io = fakeIo(true);
    let now = 0;
    const progress = progressReporter(io, 'gunw diff', () => now);
    progress.update(10, 100);
    now = 50;
    progress.update(20, 100); // too soon: not drawn
    now = 400;
    progress.update(50, 100);
    progress.update(100, 100); // completion is always drawn
    progress.finish();
    expect(io.err).toEqual([
      '\rgunw diff: 10% (0.0 s)',
      '\rgunw diff: 50% (0.4 s)',
      '\rgunw diff: 100% (0.4 s)',
      '\r\x1b[K',
    ]);
  });

  it('prints nothing when stderr is not a terminal (CI logs, pipes)', () => {
    const io = fakeIo(false);
    const progress = progressReporter(io, 'gunw diff', () => 0);
    progress.update(50, 100);
    progress.finish();
    expect(io.err).toEqual([]);
  });
});
