/**
 * What the downloads of a job are doing, for one progress display: per file and in total, the bytes so far, the
 * rate over the last few seconds and the time left at that rate. Steps report into it; the program that runs them
 * decides how (and whether) to show it.
 */

export interface TransferState {
  readonly name: string;
  readonly received: number;
  /** Bytes expected, when known. */
  readonly total: number | null;
  /** Bytes per second over the last RATE_WINDOW_MS (0 until there are two samples). */
  readonly bytesPerSecond: number;
  /** Seconds left at that rate, when the total is known and bytes are arriving. */
  readonly etaSeconds: number | null;
  readonly finished: boolean;
}

export interface TransferHandle {
  update(received: number, total?: number | null): void;
  finish(): void;
}

/** The rate is measured over this long: long enough to smooth bursts, short enough to follow a slowing link. */
export const RATE_WINDOW_MS = 5000;
const SAMPLE_EVERY_MS = 250;

class Transfer {
  received = 0;
  finished = false;
  private readonly samples: { at: number; received: number }[] = [];

  constructor(
    readonly name: string,
    public total: number | null,
    at: number,
  ) {
    this.samples.push({ at, received: 0 });
  }

  record(at: number, received: number): void {
    // A transfer that starts again (a retry from the start) forgets the rate it had.
    if (received < this.received) this.samples.length = 0;
    this.received = received;
    const last = this.samples.at(-1);
    if (!last || at - last.at >= SAMPLE_EVERY_MS) this.samples.push({ at, received });
    while (this.samples.length > 2 && at - this.samples[1]!.at >= RATE_WINDOW_MS) this.samples.shift();
  }

  rate(at: number): number {
    if (this.finished) return 0;
    const first = this.samples[0];
    if (!first || at - first.at <= 0) return 0;
    return (this.received - first.received) / ((at - first.at) / 1000);
  }

  state(at: number): TransferState {
    const bytesPerSecond = this.rate(at);
    return {
      name: this.name,
      received: this.received,
      total: this.total,
      bytesPerSecond,
      etaSeconds: eta(this.total, this.received, bytesPerSecond, this.finished),
      finished: this.finished,
    };
  }
}

function eta(total: number | null, received: number, rate: number, finished: boolean): number | null {
  if (finished) return 0;
  if (total === null || rate <= 0) return null;
  return Math.max(0, total - received) / rate;
}

export class TransferBoard {
  private readonly transfers: Transfer[] = [];

  constructor(
    private readonly onChange: () => void = () => undefined,
    private readonly now: () => number = () => performance.now(),
  ) {}

  begin(name: string, total: number | null): TransferHandle {
    const transfer = new Transfer(name, total, this.now());
    this.transfers.push(transfer);
    this.onChange();
    return {
      update: (received, newTotal) => {
        if (newTotal !== undefined && newTotal !== null) transfer.total = newTotal;
        transfer.record(this.now(), received);
        this.onChange();
      },
      finish: () => {
        transfer.finished = true;
        if (transfer.total !== null) transfer.received = transfer.total;
        this.onChange();
      },
    };
  }

  /** Every transfer begun so far, in the order they began, and their sum. */
  snapshot(): { readonly files: readonly TransferState[]; readonly total: TransferState } {
    const at = this.now();
    const files = this.transfers.map((t) => t.state(at));
    const received = files.reduce((n, f) => n + f.received, 0);
    const total = files.every((f) => f.total !== null) ? files.reduce((n, f) => n + f.total!, 0) : null;
    const bytesPerSecond = files.reduce((n, f) => n + f.bytesPerSecond, 0);
    const finished = files.every((f) => f.finished);
    return {
      files,
      total: {
        name: 'all',
        received,
        total,
        bytesPerSecond,
        etaSeconds: eta(total, received, bytesPerSecond, finished),
        finished,
      },
    };
  }
}
