import type { TransferBoard, TransferState } from '../processor/transfers.js';
import type { CliIo } from './io.js';

/**
 * The downloads of a job on stderr. On a terminal: a block of lines (one per file under way, then the total)
 * redrawn in place at most five times a second, cleared before any other line is printed. Elsewhere (logs of
 * HyP3, CI): a plain line per file and one for the total every `plainEveryMs`, and one as each file completes.
 */

const REDRAW_MS = 200;
const PLAIN_EVERY_MS = 30_000;

const MB = 1024 * 1024;
const GB = 1024 * MB;

export function formatBytes(bytes: number): string {
  return bytes >= GB ? `${(bytes / GB).toFixed(2)} GB` : `${(bytes / MB).toFixed(1)} MB`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${String(Math.floor(seconds % 60)).padStart(2, '0')} s`;
  return `${Math.floor(seconds / 3600)} h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')} min`;
}

/** `S1A_….zip  1.20 of 4.10 GB (29 %)  8.0 MB/s  6 min 02 s left` */
export function transferLine(state: TransferState, nameWidth = 0): string {
  const name = state.name.padEnd(nameWidth);
  const amount =
    state.total !== null
      ? `${formatBytes(state.received)} of ${formatBytes(state.total)} (${Math.floor((100 * state.received) / Math.max(1, state.total))} %)`
      : formatBytes(state.received);
  if (state.finished) return `${name}  ${amount}  done`;
  const rate = `${(state.bytesPerSecond / MB).toFixed(1)} MB/s`;
  const left = state.etaSeconds === null ? '' : `  ${formatDuration(state.etaSeconds)} left`;
  return `${name}  ${amount}  ${rate}${left}`;
}

export interface TransferDisplay {
  /** Draw (or, off a terminal, maybe print) the board's current state. */
  update(): void;
  /** Print a line of other output without tearing the display. */
  print(text: string): void;
  /** Stop drawing: the last state stays on screen (terminal) or is printed once (elsewhere). */
  close(): void;
}

export function transferDisplay(
  io: CliIo,
  board: () => TransferBoard,
  options: { now?: () => number; plainEveryMs?: number } = {},
): TransferDisplay {
  const now = options.now ?? (() => performance.now());
  const plainEvery = options.plainEveryMs ?? PLAIN_EVERY_MS;
  let drawnLines = 0;
  let lastDraw = -Infinity;
  let lastPlain = now();
  const announced = new Set<string>();

  const lines = (all: boolean): string[] => {
    const { files, total } = board().snapshot();
    const shown = all ? files : files.filter((f) => !f.finished);
    const width = Math.max(0, ...files.map((f) => f.name.length));
    const out = shown.map((f) => transferLine(f, width));
    if (files.length > 1) out.push(transferLine({ ...total, name: 'all downloads' }, width));
    return out;
  };
  /** The escape sequence that moves up over the block drawn last and clears it (one write with what follows). */
  const erase = (): string => {
    const sequence = drawnLines === 0 ? '' : `\x1b[${drawnLines}A\r\x1b[J`;
    drawnLines = 0;
    return sequence;
  };
  const draw = (): void => {
    const block = lines(false);
    const text = `${erase()}${block.map((line) => `${line}\n`).join('')}`;
    if (text) io.stderr(text);
    drawnLines = block.length;
  };
  const plain = (force: boolean): void => {
    const { files } = board().snapshot();
    const completed = files.filter((f) => f.finished && !announced.has(f.name));
    for (const f of completed) {
      announced.add(f.name);
      io.stderr(`download: ${transferLine(f)}\n`);
    }
    if (!force && now() - lastPlain < plainEvery) return;
    lastPlain = now();
    for (const line of lines(false)) io.stderr(`download: ${line}\n`);
  };

  return {
    update() {
      if (!io.stderrIsTTY) return plain(false);
      const t = now();
      if (t - lastDraw < REDRAW_MS) return;
      lastDraw = t;
      draw();
    },
    print(text) {
      io.stderr(io.stderrIsTTY ? `${erase()}${text}` : text);
      lastDraw = -Infinity;
    },
    close() {
      if (io.stderrIsTTY) {
        const text = `${erase()}${lines(true)
          .map((line) => `${line}\n`)
          .join('')}`;
        if (text) io.stderr(text);
      } else {
        plain(false);
      }
    },
  };
}
