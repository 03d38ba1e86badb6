import { describe, expect, it } from 'vitest';
import { formatDuration, transferDisplay, transferLine } from '../../src/cli/transfer-display.js';
import type { CliIo } from '../../src/cli/io.js';
import { TransferBoard } from '../../src/processor/transfers.js';

const MB = 1024 * 1024;

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 0;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

function terminal(tty: boolean): CliIo & { err: string[] } {
  const err: string[] = [];
  return { err, stdout: () => undefined, stderr: (t) => void err.push(t), stderrIsTTY: tty, cwd: '/' };
}

describe('the transfer board', () => {
  it('measures each file over the last five seconds, with the time left at that rate, and the sum of all', () => {
    const time = clock();
    const board = new TransferBoard(() => undefined, time.now);
    const a = board.begin('a.zip', 100 * MB);
    const b = board.begin('b.zip', null);
    // a: 1 MB/s for 10 s, then 4 MB/s for 5 s: the rate follows the link within the window.
    for (let s = 1; s <= 10; s++) {
      time.advance(1000);
      a.update(s * MB);
      b.update(s * 2 * MB);
    }
    for (let s = 1; s <= 5; s++) {
      time.advance(1000);
      a.update((10 + 4 * s) * MB);
    }
    const { files, total } = board.snapshot();
    expect(files[0]!.bytesPerSecond / MB).toBeCloseTo(4, 5);
    expect(files[0]!.etaSeconds).toBeCloseTo(70 / 4, 5);
    // b stopped arriving five seconds ago; its size is unknown, so is its time left and the total's.
    expect(files[1]).toMatchObject({ received: 20 * MB, total: null, etaSeconds: null });
    expect(total).toMatchObject({ received: 50 * MB, total: null, finished: false });
    b.update(20 * MB, 20 * MB);
    b.finish();
    a.finish();
    expect(board.snapshot().total).toMatchObject({
      received: 120 * MB,
      total: 120 * MB,
      finished: true,
      etaSeconds: 0,
    });
  });

  it('forgets the rate of a transfer that starts again from the beginning', () => {
    const time = clock();
    const board = new TransferBoard(() => undefined, time.now);
    const a = board.begin('a.zip', 10 * MB);
    time.advance(1000);
    a.update(8 * MB);
    time.advance(1000);
    a.update(1 * MB);
    time.advance(1000);
    a.update(2 * MB);
    expect(board.snapshot().files[0]!.bytesPerSecond / MB).toBeCloseTo(1, 5);
  });
});

describe('the transfer display', () => {
  it('formats amounts, rates and the time left', () => {
    expect(
      transferLine({
        name: 'S1.zip',
        received: 1.2 * 1024 * MB,
        total: 4.1 * 1024 * MB,
        bytesPerSecond: 8 * MB,
        etaSeconds: 362,
        finished: false,
      }),
    ).toBe('S1.zip  1.20 GB of 4.10 GB (29 %)  8.0 MB/s  6 min 02 s left');
    expect(formatDuration(7322)).toBe('2 h 02 min');
    expect(formatDuration(0.2)).toBe('1 s');
  });

  it('redraws one block in place on a terminal, at most five times a second, and clears it for other lines', () => {
    const time = clock();
    const io = terminal(true);
    const board = new TransferBoard(() => display.update(), time.now);
    const display = transferDisplay(io, () => board, { now: time.now });
    const a = board.begin('a.zip', 10 * MB);
    board.begin('b.zip', 10 * MB);
    const drawn = io.err.length;
    time.advance(100);
    a.update(MB);
    expect(io.err).toHaveLength(drawn);
    time.advance(150);
    a.update(2 * MB);
    // The block drawn when a.zip began (one line; b.zip came within 200 ms) is cleared and drawn again.
    expect(io.err.at(-1)).toMatch(/^\x1b\[1A\r\x1b\[J/);
    expect(io.err.at(-1)).toMatch(
      /a\.zip  2\.0 MB of 10\.0 MB \(20 %\).*\nb\.zip  0\.0 MB of 10\.0 MB \(0 %\).*\nall downloads .*\n$/,
    );
    display.print('[2/9] localize:orbits ...\n');
    expect(io.err.at(-1)).toBe('\x1b[3A\r\x1b[J[2/9] localize:orbits ...\n');
    display.close();
    // The block was cleared for the line above: the final state is printed below it, not over it.
    expect(io.err.at(-1)).toMatch(/^a\.zip .*\nb\.zip .*\nall downloads .*\n$/);
  });

  it('prints plain lines off a terminal: each file once when complete, all of them every 30 s', () => {
    const time = clock();
    const io = terminal(false);
    const board = new TransferBoard(() => display.update(), time.now);
    const display = transferDisplay(io, () => board, { now: time.now });
    const a = board.begin('a.zip', 10 * MB);
    const b = board.begin('b.zip', 10 * MB);
    for (let s = 1; s <= 29; s++) {
      time.advance(1000);
      a.update(s * 0.1 * MB);
    }
    expect(io.err).toEqual([]);
    time.advance(1000);
    a.update(3 * MB);
    expect(io.err).toHaveLength(3);
    expect(io.err[0]).toMatch(/^download: a\.zip  3\.0 MB of 10\.0 MB \(30 %\)  0\.1 MB\/s  1 min 10 s left\n$/);
    expect(io.err[2]).toMatch(/^download: all downloads  3\.0 MB of 20\.0 MB \(15 %\)/);
    b.update(10 * MB);
    b.finish();
    expect(io.err.at(-1)).toBe('download: b.zip  10.0 MB of 10.0 MB (100 %)  done\n');
    a.update(4 * MB);
    display.close();
    expect(io.err.filter((l) => l.includes('b.zip'))).toHaveLength(2);
  });
});
