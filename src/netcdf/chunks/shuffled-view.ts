import { bytesPerElement, type NumericDType } from '../model.js';
import type { RegionView } from '../reader.js';
import { viewAs } from '../typed-arrays.js';

/**
 * A region of a chunk whose bytes are still shuffled (HDF5 shuffle filter: all first bytes, then all second
 * bytes, ...). Rows are unshuffled only when read, into a small scratch row, so a decoded chunk never exists twice
 * in memory and the unshuffled bytes stay in cache for the comparison that follows.
 */
export function shuffledView(
  planes: Uint8Array,
  dtype: NumericDType,
  elementsPerChunk: number,
  strides: readonly number[],
  offset: number,
  count: readonly number[],
): RegionView {
  const size = bytesPerElement(dtype);
  const rank = count.length;
  const rowLength = rank === 0 ? 1 : count[rank - 1]!;
  const scratch = new Uint8Array(rowLength * size);
  const values = viewAs(dtype, scratch);
  const words = size === 4 || size === 8 ? new Uint32Array(scratch.buffer, 0, (rowLength * size) / 4) : null;
  const halves = size === 2 ? new Uint16Array(scratch.buffer, 0, rowLength) : null;
  const big = dtype === 'i8' || dtype === 'u8';
  const n = elementsPerChunk;
  const rows = count.slice(0, -1).reduce((acc, c) => acc * c, 1);
  // When every plane starts on a 4-byte boundary, read four elements' bytes of a plane at once and transpose.
  const planeWords = size === 4 && n % 4 === 0 && planes.byteOffset % 4 === 0 ? new Uint32Array(planes.buffer, planes.byteOffset, planes.length >>> 2) : null;
  // The same for 2-byte elements: a 32-bit read of each of the two planes gives four elements.
  const planeWords2 = size === 2 && n % 4 === 0 && planes.byteOffset % 4 === 0 ? new Uint32Array(planes.buffer, planes.byteOffset, planes.length >>> 2) : null;
  const words2 = size === 2 ? new Uint32Array(scratch.buffer, 0, (rowLength * 2) >>> 2) : null;
  return {
    rows,
    rowLength,
    readRow(r, into) {
      let e0 = offset;
      let rest = r;
      for (let d = rank - 2; d >= 0; d--) {
        e0 += (rest % count[d]!) * strides[d]!;
        rest = Math.floor(rest / count[d]!);
      }
      if (planeWords !== null && e0 % 4 === 0) {
        transposeRow(planeWords, n >>> 2, e0 >>> 2, rowLength, words!, planes, n, e0);
      } else if (size === 4) {
        const [p1, p2, p3] = [n + e0, 2 * n + e0, 3 * n + e0];
        for (let i = 0; i < rowLength; i++) {
          words![i] = (planes[e0 + i]! | (planes[p1 + i]! << 8) | (planes[p2 + i]! << 16) | (planes[p3 + i]! << 24)) >>> 0;
        }
      } else if (planeWords2 !== null && e0 % 4 === 0) {
        transposeRow2(planeWords2, n >>> 2, e0 >>> 2, rowLength, words2!, halves!, planes, n, e0);
      } else if (size === 2) {
        for (let i = 0; i < rowLength; i++) halves![i] = planes[e0 + i]! | (planes[n + e0 + i]! << 8);
      } else if (size === 8) {
        for (let i = 0; i < rowLength; i++) {
          const at = e0 + i;
          words![2 * i] = (planes[at]! | (planes[n + at]! << 8) | (planes[2 * n + at]! << 16) | (planes[3 * n + at]! << 24)) >>> 0;
          words![2 * i + 1] = (planes[4 * n + at]! | (planes[5 * n + at]! << 8) | (planes[6 * n + at]! << 16) | (planes[7 * n + at]! << 24)) >>> 0;
        }
      } else {
        for (let i = 0; i < rowLength; i++) for (let b = 0; b < size; b++) scratch[i * size + b] = planes[b * n + e0 + i]!;
      }
      if (big) for (let j = 0; j < rowLength; j++) into[j] = Number((values as BigInt64Array)[j]!);
      else into.set(values as Float64Array);
    },
  };
}

/**
 * Unshuffle a row of 4-byte elements starting at element e0 (a multiple of 4): each 32-bit read of a plane holds
 * byte k of four consecutive elements, so four reads and some shifts produce four elements.
 */
function transposeRow(
  planeWords: Uint32Array,
  wordsPerPlane: number,
  w0: number,
  rowLength: number,
  out: Uint32Array,
  planes: Uint8Array,
  n: number,
  e0: number,
): void {
  const whole = rowLength >>> 2;
  const [o1, o2, o3] = [wordsPerPlane + w0, 2 * wordsPerPlane + w0, 3 * wordsPerPlane + w0];
  for (let i = 0; i < whole; i++) {
    const q0 = planeWords[w0 + i]!;
    const q1 = planeWords[o1 + i]!;
    const q2 = planeWords[o2 + i]!;
    const q3 = planeWords[o3 + i]!;
    const t = 4 * i;
    out[t] = ((q0 & 0xff) | ((q1 & 0xff) << 8) | ((q2 & 0xff) << 16) | (q3 << 24)) >>> 0;
    out[t + 1] = (((q0 >>> 8) & 0xff) | (q1 & 0xff00) | ((q2 & 0xff00) << 8) | ((q3 & 0xff00) << 16)) >>> 0;
    out[t + 2] = (((q0 >>> 16) & 0xff) | ((q1 >>> 8) & 0xff00) | (q2 & 0xff0000) | ((q3 & 0xff0000) << 8)) >>> 0;
    out[t + 3] = ((q0 >>> 24) | ((q1 >>> 16) & 0xff00) | ((q2 >>> 8) & 0xff0000) | (q3 & 0xff000000)) >>> 0;
  }
  for (let i = whole * 4; i < rowLength; i++) {
    const at = e0 + i;
    out[i] = (planes[at]! | (planes[n + at]! << 8) | (planes[2 * n + at]! << 16) | (planes[3 * n + at]! << 24)) >>> 0;
  }
}

/** Unshuffle a row of 2-byte elements starting at element e0 (a multiple of 4): two 32-bit reads give four elements. */
function transposeRow2(
  planeWords: Uint32Array,
  wordsPerPlane: number,
  w0: number,
  rowLength: number,
  out: Uint32Array,
  halves: Uint16Array,
  planes: Uint8Array,
  n: number,
  e0: number,
): void {
  const whole = rowLength >>> 2;
  const o1 = wordsPerPlane + w0;
  for (let i = 0; i < whole; i++) {
    const lo = planeWords[w0 + i]!;
    const hi = planeWords[o1 + i]!;
    out[2 * i] = ((lo & 0xff) | ((hi & 0xff) << 8) | ((lo & 0xff00) << 8) | ((hi & 0xff00) << 16)) >>> 0;
    out[2 * i + 1] = (((lo >>> 16) & 0xff) | ((hi >>> 8) & 0xff00) | ((lo >>> 8) & 0xff0000) | (hi & 0xff000000)) >>> 0;
  }
  for (let i = whole * 4; i < rowLength; i++) halves[i] = planes[e0 + i]! | (planes[n + e0 + i]! << 8);
}
