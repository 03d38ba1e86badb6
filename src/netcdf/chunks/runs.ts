import type { NumericDType } from '../model.js';

/**
 * A decoded chunk held as runs of equal values instead of its elements. Connected-component labels are large flat
 * areas: a frame90 benchmark chunk of 1800×2100 int16 labels (7.56 MB decoded, 237:1 compressed) is 62,835 runs,
 * 0.75 MB here. Rows are filled from the runs when read.
 */
export class ChunkRuns {
  constructor(
    /** Elements in the chunk. */
    readonly elements: number,
    /** First element of each run, ascending, the first 0. */
    private readonly starts: Int32Array,
    private readonly values: Float64Array,
  ) {}

  get runs(): number {
    return this.starts.length;
  }

  get bytes(): number {
    return this.starts.byteLength + this.values.byteLength;
  }

  /** Elements [from, from + n) of the chunk, as numbers, into `into` from index `at`. */
  fill(from: number, n: number, into: Float64Array, at: number): void {
    const { starts, values } = this;
    const end = from + n;
    for (let r = this.runAt(from), e = from; e < end; r++) {
      const next = r + 1 < starts.length ? starts[r + 1]! : this.elements;
      const stop = next < end ? next : end;
      into.fill(values[r]!, at + e - from, at + stop - from);
      e = stop;
    }
  }

  /**
   * The runs over elements [from, from + n), appended to `starts` (as positions from `at`) and `values` after the
   * first `count`; a run that continues the last one appended (same value) extends it. Returns the new count.
   */
  runsIn(from: number, n: number, at: number, starts: Int32Array, values: Float64Array, count: number): number {
    let k = count;
    const end = from + n;
    for (let r = this.runAt(from), e = from; e < end; r++) {
      const value = this.values[r]!;
      if (k === 0 || values[k - 1] !== value) {
        starts[k] = at + e - from;
        values[k] = value;
        k++;
      }
      e = r + 1 < this.starts.length ? this.starts[r + 1]! : this.elements;
    }
    return k;
  }

  /** The run holding element `e`. */
  private runAt(e: number): number {
    const { starts } = this;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= e) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/** Element types whose chunks can be held as runs: integers of 1, 2 or 4 bytes (labels, masks, flags). */
export function runnable(dtype: NumericDType): boolean {
  return dtype === 'i1' || dtype === 'u1' || dtype === 'i2' || dtype === 'u2' || dtype === 'i4' || dtype === 'u4';
}

/** A growable list of runs; the builder keeps two and reuses them from chunk to chunk. */
class RunList {
  starts = new Int32Array(4096);
  values = new Float64Array(4096);
  count = 0;

  /** Room for `capacity` runs, keeping the first `count`. */
  grow(capacity: number): void {
    const starts = new Int32Array(capacity);
    const values = new Float64Array(capacity);
    starts.set(this.starts.subarray(0, this.count));
    values.set(this.values.subarray(0, this.count));
    this.starts = starts;
    this.values = values;
  }
}

/**
 * Builds {@link ChunkRuns} from a chunk's decoded bytes as they stream out of inflate, in order, without holding
 * them. Shuffled chunks (byte plane k holds byte k of every element) arrive one plane after another: the runs of the
 * first plane are built, and each later plane is merged into them (a run ends where the earlier planes' run ends or
 * this plane's byte changes). Gives up (take returns false) once the runs would pass `maxRuns`. One builder serves
 * one chunk at a time and keeps its working lists for the next ({@link start}): on the 30 m frame, fresh lists per
 * chunk left ~15 MB more resident at the peak of `gunw diff` (garbage freed late).
 */
export class RunBuilder {
  private list = new RunList();
  /** Runs of the planes before this one (shuffled chunks), and the index of the one the next element falls in. */
  private earlier = new RunList();
  private cursor = 0;
  /** Bytes taken so far; the byte of the latest run in this plane; a partly assembled element (unshuffled). */
  private position = 0;
  private lastByte = -1;
  private partial = 0;
  private elements = 0;
  private size = 1;
  private shuffled = false;
  private maxRuns = 0;

  /** Begin a chunk of `elements` elements of `size` bytes (forgetting any earlier one). */
  start(elements: number, size: number, shuffled: boolean, maxRuns: number): this {
    Object.assign(this, { elements, size, shuffled, maxRuns, cursor: 0, position: 0, lastByte: -1, partial: 0 });
    this.list.count = 0;
    this.earlier.count = 0;
    return this;
  }

  /** The next decoded bytes; false when they would make too many runs (or more bytes than the chunk holds). */
  take(bytes: Uint8Array): boolean {
    const total = this.elements * this.size;
    if (this.position + bytes.length > total) return false;
    if (!this.shuffled || this.size === 1) return this.takeElements(bytes);
    let used = 0;
    while (used < bytes.length) {
      const plane = Math.floor(this.position / this.elements);
      const first = this.position - plane * this.elements;
      const n = Math.min(bytes.length - used, this.elements - first);
      const part = bytes.subarray(used, used + n);
      if (!(plane === 0 ? this.takeFirstPlane(part, first) : this.mergePlane(part, first, plane))) return false;
      used += n;
      this.position += n;
      if (first + n === this.elements && plane + 1 < this.size) this.startPlane();
    }
    return true;
  }

  /** The runs, once every byte was taken (null before), with values of `dtype`. */
  finish(dtype: NumericDType): ChunkRuns | null {
    const { list } = this;
    if (this.position !== this.elements * this.size || list.count === 0) return null;
    const values = list.values.slice(0, list.count);
    if (dtype === 'i1' || dtype === 'i2' || dtype === 'i4') {
      const wrap = 2 ** (8 * this.size);
      for (let r = 0; r < values.length; r++) if (values[r]! >= wrap / 2) values[r]! -= wrap;
    }
    return new ChunkRuns(this.elements, list.starts.slice(0, list.count), values);
  }

  private takeFirstPlane(bytes: Uint8Array, first: number): boolean {
    const words = wordsOf(bytes);
    let last = this.lastByte;
    for (let j = 0; j < bytes.length;) {
      const b = bytes[j]!;
      if (b === last) {
        j = skipEqual(bytes, words, j, bytes.length, b);
        continue;
      }
      if (!this.append(first + j, b)) return false;
      last = b;
      j++;
    }
    this.lastByte = last;
    return true;
  }

  private mergePlane(bytes: Uint8Array, first: number, plane: number): boolean {
    const earlier = this.earlier;
    const weight = 2 ** (8 * plane);
    const words = wordsOf(bytes);
    let r = this.cursor;
    let boundary = r + 1 < earlier.count ? earlier.starts[r + 1]! : this.elements;
    let last = this.lastByte;
    for (let j = 0; j < bytes.length;) {
      const e = first + j;
      const b = bytes[j]!;
      if (e === boundary) {
        r++;
        boundary = r + 1 < earlier.count ? earlier.starts[r + 1]! : this.elements;
      } else if (b === last) {
        j = skipEqual(bytes, words, j, Math.min(bytes.length, boundary - first), b);
        continue;
      }
      if (!this.append(e, earlier.values[r]! + b * weight)) return false;
      last = b;
      j++;
    }
    this.cursor = r;
    this.lastByte = last;
    return true;
  }

  /** Unshuffled bytes (or one-byte elements): elements assembled little-endian, a run per change of value. */
  private takeElements(bytes: Uint8Array): boolean {
    const size = this.size;
    for (let j = 0; j < bytes.length; j++) {
      const k = (this.position + j) % size;
      this.partial += bytes[j]! * 2 ** (8 * k);
      if (k !== size - 1) continue;
      const e = (this.position + j - k) / size;
      const { list } = this;
      if (list.count === 0 || list.values[list.count - 1] !== this.partial) {
        if (!this.append(e, this.partial)) return false;
      }
      this.partial = 0;
    }
    this.position += bytes.length;
    return true;
  }

  /** The plane just finished becomes the earlier planes' runs; the next one starts its own list. */
  private startPlane(): void {
    [this.earlier, this.list] = [this.list, this.earlier];
    this.list.count = 0;
    this.cursor = 0;
    this.lastByte = -1;
  }

  private append(start: number, value: number): boolean {
    const list = this.list;
    if (list.count >= this.maxRuns) return false;
    if (list.count === list.starts.length) list.grow(Math.min(this.maxRuns, list.count * 2));
    list.starts[list.count] = start;
    list.values[list.count] = value;
    list.count++;
    return true;
  }
}

/** The 32-bit words of the buffer under `bytes` (for {@link skipEqual}). */
function wordsOf(bytes: Uint8Array): Uint32Array {
  return new Uint32Array(bytes.buffer, 0, bytes.buffer.byteLength >> 2);
}

/**
 * First index in [from, to) of `bytes` whose byte is not `b` (or `to`), four bytes at a time where aligned: a byte at
 * a time, building the runs of a 30 m frame's label chunk took 21 ms against 6 ms to inflate it.
 */
function skipEqual(bytes: Uint8Array, words: Uint32Array, from: number, to: number, b: number): number {
  const base = bytes.byteOffset;
  let j = from;
  while (j < to && ((base + j) & 3) !== 0) {
    if (bytes[j] !== b) return j;
    j++;
  }
  if (j === to) return j;
  const pattern = (b * 0x01010101) >>> 0;
  let w = (base + j) >> 2;
  const end = (base + to) >> 2;
  while (w < end && words[w] === pattern) w++;
  j = (w << 2) - base;
  while (j < to && bytes[j] === b) j++;
  return j;
}
