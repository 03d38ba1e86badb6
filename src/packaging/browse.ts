import { encodePng } from '../report/png.js';
import { MERGED_FILES, type MergedDirectory } from './layers.js';

/**
 * The browse image of a GUNW (`<ID>.png`): the unwrapped phase re-wrapped to (-π, π], scaled between its minimum
 * and maximum and coloured with the HSV colour wheel, transparent where there is no reliable phase (connected
 * component 0, outside the swath, or water when a mask is given), at a fifth of the data grid's size, as the plugin
 * makes it — except that a grid too small for a legible fifth (samples, bursts) is shown at up to full size, at
 * least MIN_BROWSE_SIDE pixels on its long side; every real frame (thousands of pixels) keeps the plugin's fifth.
 * Each browse pixel takes the data pixel at its centre, so only the rows shown are read.
 */

export const BROWSE_SCALE = 0.2;
export const MIN_BROWSE_SIDE = 400;

/**
 * matplotlib's "hsv" colour map: hue 0 → 1 around the wheel at full saturation and value, written as an opaque
 * RGBA pixel at `at` (no array per pixel: a 30 m frame's browse image has 2.9 million of them).
 */
export function hsvInto(fraction: number, rgba: Uint8Array, at: number): void {
  const h = (Math.min(1, Math.max(0, fraction)) * 6) % 6;
  const i = Math.floor(h);
  const f = h - i;
  const up = Math.round(f * 255);
  const down = Math.round((1 - f) * 255);
  // The six sectors of the wheel: one channel full, one rising or falling, one off.
  rgba[at] = i === 0 || i === 5 ? 255 : i === 1 ? down : i === 4 ? up : 0;
  rgba[at + 1] = i === 1 || i === 2 ? 255 : i === 0 ? up : i === 3 ? down : 0;
  rgba[at + 2] = i === 3 || i === 4 ? 255 : i === 2 ? up : i === 5 ? down : 0;
  rgba[at + 3] = 255;
}

/** The browse image's size relative to the data grid: the plugin's fifth, or more for a grid too small for it. */
export function browseScale(width: number, length: number): number {
  return Math.max(BROWSE_SCALE, Math.min(1, MIN_BROWSE_SIDE / Math.max(width, length)));
}

export function browseImage(merged: MergedDirectory, water?: (row: number, col: number) => boolean): Buffer {
  const { width, length } = merged.grid;
  const scale = browseScale(width, length);
  const outWidth = Math.max(1, Math.floor(width * scale));
  const outLength = Math.max(1, Math.floor(length * scale));
  const wrapped = new Float32Array(outWidth * outLength).fill(Number.NaN);
  const phaseRow = new Float32Array(width);
  const amplitudeRow = new Float32Array(width);
  const componentRow = new Float32Array(width);
  const unwrapped = merged.reader(MERGED_FILES.unwrapped);
  const components = merged.reader(MERGED_FILES.components);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < outLength; i++) {
    const row = Math.min(length - 1, Math.floor((i + 0.5) / scale));
    unwrapped.readRows(2, row, 1, phaseRow);
    unwrapped.readRows(1, row, 1, amplitudeRow);
    components.readRows(1, row, 1, componentRow);
    for (let j = 0; j < outWidth; j++) {
      const col = Math.min(width - 1, Math.floor((j + 0.5) / scale));
      if (amplitudeRow[col] === 0 || componentRow[col] === 0 || water?.(row, col)) continue;
      const value = Math.atan2(Math.sin(phaseRow[col]!), Math.cos(phaseRow[col]!));
      wrapped[i * outWidth + j] = value;
      if (value < min) min = value;
      if (value > max) max = value;
    }
  }
  const rgba = new Uint8Array(outWidth * outLength * 4);
  const span = max > min ? max - min : 1;
  for (let k = 0; k < wrapped.length; k++) {
    const v = wrapped[k]!;
    if (Number.isNaN(v)) continue;
    hsvInto((v - min) / span, rgba, k * 4);
  }
  return encodePng(outWidth, outLength, rgba);
}
