/**
 * The tasks of one comparison, shared by every thread through a SharedArrayBuffer: each thread takes its next task
 * itself the moment it is free, so no thread waits for another to hand out work (the main thread, busy with its own
 * task, could not). Each thread walks its own contiguous stretch of the task list (neighbouring regions, so chunks
 * a thread decoded for one region are still cached for the next), stretches are cut to hold equal work, and a
 * thread that runs dry takes work from the far end of the longest remaining stretch.
 */
const LOCK = 0;
const STOPPED = 1;
const SEGMENTS = 2;

export class TaskQueue<T> {
  readonly shared: SharedArrayBuffer;
  private readonly state: Int32Array;

  /**
   * A queue over `items` for `threads` threads, or (with `shared`) another thread's view of an existing queue over
   * the same items. `weight` estimates an item's work (default 1 each).
   */
  constructor(
    private readonly items: readonly T[],
    threads: number,
    weight: (item: T) => number = () => 1,
    shared?: SharedArrayBuffer,
  ) {
    if (shared) {
      this.shared = shared;
      this.state = new Int32Array(shared);
      return;
    }
    this.shared = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * (SEGMENTS + 2 * threads));
    this.state = new Int32Array(this.shared);
    const total = items.reduce((n, item) => n + weight(item), 0);
    let start = 0;
    let done = 0;
    for (let t = 0; t < threads; t++) {
      let end = start;
      // Extend the stretch until it holds its share of the work (the last one takes the rest).
      const share = ((t + 1) * total) / threads;
      while (end < items.length && (t === threads - 1 || done + weight(items[end]!) / 2 <= share))
        done += weight(items[end++]!);
      this.state[SEGMENTS + 2 * t] = start;
      this.state[SEGMENTS + 2 * t + 1] = end;
      start = end;
    }
  }

  /** The next item for thread `thread`, or undefined when every item is taken or the queue was stopped. */
  take(thread: number): T | undefined {
    const s = this.state;
    // The critical section is a few reads and writes; a thread never holds the lock for long, so spinning is fine.
    while (Atomics.compareExchange(s, LOCK, 0, 1) !== 0);
    try {
      if (s[STOPPED]) return undefined;
      const own = SEGMENTS + 2 * thread;
      if (s[own]! < s[own + 1]!) return this.items[s[own]!++];
      let longest = own;
      for (let at = SEGMENTS; at < s.length; at += 2)
        if (s[at + 1]! - s[at]! > s[longest + 1]! - s[longest]!) longest = at;
      if (s[longest]! >= s[longest + 1]!) return undefined;
      return this.items[--s[longest + 1]!];
    } finally {
      Atomics.store(s, LOCK, 0);
    }
  }

  /** No thread gets another item (a thread failed). */
  stop(): void {
    Atomics.store(this.state, STOPPED, 1);
  }
}
