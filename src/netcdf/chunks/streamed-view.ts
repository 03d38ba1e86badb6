import { unshufflePlanes, type ShuffledType } from '../../wasm/kernels.js';
import type { RegionView } from '../reader.js';
import { rowLengthOf, rowOffsets, rowsOf } from '../views.js';
import type { ChunkStream } from './chunk-stream.js';

/** Last-plane bytes inflated at a time (at least a row's worth). */
const WINDOW = 64 * 1024;

/** A shuffled chunk whose byte planes but the last are decoded, its stream standing at the last plane's start. */
export interface StreamedChunk {
  /** Planes 0 .. size - 2, one after another. */
  readonly head: Uint8Array;
  readonly stream: ChunkStream;
  readonly elements: number;
}

/**
 * A region of a shuffled chunk read while the chunk's last byte plane is still being inflated: a row takes its first
 * bytes from the decoded planes and its last from a small window the stream fills as rows move on. A chunk then
 * needs (size − 1)/size of its decoded bytes at a time: 11.3 MB instead of 15.1 for a 1800×2100 float32 chunk, and
 * `gunw diff` on the frame90 benchmark pair peaked at 202–210 MiB instead of 213–218 (interleaved runs), in the same
 * CPU time (the last plane is inflated as the rows are read instead of before). Rows are read in order (a comparison
 * does); the last row also reads the stream to its end and checks it. A row the window has passed (read out of
 * order, or again after that check), or a stream that fails, switches the view to `decoded()`: the region decoded
 * the usual way, which throws what is wrong with a damaged chunk.
 */
export function streamedView(
  chunk: StreamedChunk,
  type: ShuffledType,
  strides: readonly number[],
  offset: number,
  count: readonly number[],
  decoded: () => RegionView,
  release: () => void,
): RegionView {
  const { head, stream, elements } = chunk;
  const rowLength = rowLengthOf(count);
  const rows = rowsOf(count);
  const rowStart = rowOffsets(count, strides, offset);
  const lastPlane = (type === 'f4' ? 4 : 2) - 1;
  const window = new Uint8Array(Math.max(rowLength, Math.min(WINDOW, elements)));
  // The window holds last-plane bytes of elements [from, to).
  let from = 0;
  let to = 0;
  let fallback: RegionView | null = null;
  // Whether the stream was read to its end and found whole (a view read twice checks it once).
  let checked = false;

  const skip = (n: number): boolean => stream.pass(n, window, () => true);
  const reach = (e0: number): boolean => {
    if (e0 < from) return false;
    if (e0 + rowLength <= to) return true;
    const kept = Math.max(0, to - e0);
    if (kept > 0) window.copyWithin(0, e0 - from, to - from);
    else if (!skip(e0 - to)) return false;
    from = e0;
    to = e0 + kept;
    const end = Math.min(from + window.length, elements);
    if (!stream.fill(window.subarray(to - from, end - from))) return false;
    to = end;
    return e0 + rowLength <= to;
  };
  const switchToDecoded = (): RegionView => {
    fallback = decoded();
    return fallback;
  };

  return {
    rows,
    rowLength,
    readRow(r, into) {
      if (fallback) return fallback.readRow(r, into);
      const e0 = rowStart(r);
      let ready: boolean;
      try {
        ready = reach(e0);
      } catch {
        ready = false;
      }
      if (!ready) return switchToDecoded().readRow(r, into);
      unshufflePlanes(rowLength, type, into, (p) =>
        p < lastPlane
          ? head.subarray(p * elements + e0, p * elements + e0 + rowLength)
          : window.subarray(e0 - from, e0 - from + rowLength),
      );
      if (r === rows - 1 && !checked) {
        let whole: boolean;
        try {
          whole = skip(elements - to) && stream.end();
        } catch {
          whole = false;
        }
        // Skipping to the end overwrote the window: a row read again comes from the whole-chunk decode.
        from = to = elements;
        // The rows were read from a stream that turned out damaged: decoding it again reports how.
        if (!whole) switchToDecoded();
        checked = true;
      }
    },
    release() {
      fallback?.release?.();
      release();
    },
  };
}
