import type { DifferencePreview } from '../compare/previews.js';
import { Canvas, type Rgba } from './canvas.js';

/**
 * A layer's difference map as a PNG: candidate − reference on a diverging scale (blue negative, white zero, red
 * positive) symmetric about zero, with a colour bar, its limits and units, and a legend for cells that are valid
 * in one product only (magenta) and cells with no data in either (grey).
 */

const DIVERGING: readonly (readonly [number, Rgba])[] = [
  [0, [5, 48, 97, 255]],
  [0.25, [67, 147, 195, 255]],
  [0.5, [247, 247, 247, 255]],
  [0.75, [214, 96, 77, 255]],
  [1, [103, 0, 31, 255]],
];
const MISMATCH: Rgba = [255, 0, 255, 255];
const NO_DATA: Rgba = [221, 221, 221, 255];
const INK: Rgba = [20, 20, 20, 255];
const MARGIN = 12;
const TEXT_SCALE = 2;
const LINE = 18;
const BAR_HEIGHT = 16;
const MIN_WIDTH = 420;
const TARGET_IMAGE_SIDE = 480;

/** Colour at position t in [0, 1] of the diverging scale. */
export function divergingColor(t: number): Rgba {
  const x = Math.min(1, Math.max(0, t));
  for (let i = 1; i < DIVERGING.length; i++) {
    const [t1, c1] = DIVERGING[i]!;
    if (x <= t1) {
      const [t0, c0] = DIVERGING[i - 1]!;
      const f = (x - t0) / (t1 - t0);
      const mix = (k: number): number => Math.round(c0[k]! + f * (c1[k]! - c0[k]!));
      return [mix(0), mix(1), mix(2), 255];
    }
  }
  return DIVERGING.at(-1)![1];
}

/**
 * The colour limit: the 99th percentile of |Δ| over the map's cells (so one outlier does not wash the map out),
 * never below the layer's tolerance.
 */
export function colorLimit(preview: DifferencePreview): number {
  const magnitudes: number[] = [];
  for (const v of preview.diff) if (v === v) magnitudes.push(Math.abs(v));
  if (magnitudes.length === 0) return Math.max(preview.tolerance, 1e-12);
  magnitudes.sort((a, b) => a - b);
  const p99 = magnitudes[Math.min(magnitudes.length - 1, Math.floor(0.99 * magnitudes.length))]!;
  return Math.max(p99, preview.tolerance, 1e-12);
}

export function formatLimit(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  return abs >= 1e4 || abs < 1e-3 ? value.toExponential(2) : value.toPrecision(3);
}

export function renderDifferenceMap(preview: DifferencePreview): Buffer {
  const scale = Math.max(1, Math.floor(TARGET_IMAGE_SIDE / Math.max(preview.rows, preview.cols)));
  const imageWidth = preview.cols * scale;
  const imageHeight = preview.rows * scale;
  const width = Math.max(MIN_WIDTH, imageWidth + 2 * MARGIN, Canvas.textWidth(preview.path, TEXT_SCALE) + 2 * MARGIN);
  const height = MARGIN + 2 * LINE + imageHeight + 8 + BAR_HEIGHT + 4 + LINE + LINE + MARGIN;
  const canvas = new Canvas(width, height);
  const limit = colorLimit(preview);
  const units = preview.units ? ` (${preview.units})` : '';

  canvas.text(MARGIN, MARGIN, preview.path, TEXT_SCALE, INK);
  canvas.text(MARGIN, MARGIN + LINE, `Δ = CANDIDATE - REFERENCE${units}, 1 CELL = ${preview.step}x${preview.step} PX`, 1, INK);

  const top = MARGIN + 2 * LINE;
  for (let r = 0; r < preview.rows; r++) {
    for (let c = 0; c < preview.cols; c++) {
      const i = r * preview.cols + c;
      const v = preview.diff[i]!;
      const color = preview.mismatch[i] ? MISMATCH : v === v ? divergingColor(0.5 + v / (2 * limit)) : NO_DATA;
      canvas.fillRect(MARGIN + c * scale, top + r * scale, scale, scale, color);
    }
  }
  canvas.strokeRect(MARGIN - 1, top - 1, imageWidth + 2, imageHeight + 2, INK);

  const barTop = top + imageHeight + 8;
  const barWidth = width - 2 * MARGIN;
  for (let x = 0; x < barWidth; x++) canvas.fillRect(MARGIN + x, barTop, 1, BAR_HEIGHT, divergingColor(x / (barWidth - 1)));
  canvas.strokeRect(MARGIN - 1, barTop - 1, barWidth + 2, BAR_HEIGHT + 2, INK);
  const labelTop = barTop + BAR_HEIGHT + 4;
  const low = `-${formatLimit(limit)}`;
  const high = `+${formatLimit(limit)}${preview.units ? ` ${preview.units}` : ''}`;
  canvas.text(MARGIN, labelTop, low, 1, INK);
  canvas.text(MARGIN + barWidth / 2 - 3, labelTop, '0', 1, INK);
  canvas.text(MARGIN + barWidth - Canvas.textWidth(high, 1), labelTop, high, 1, INK);

  const legendTop = labelTop + LINE;
  canvas.fillRect(MARGIN, legendTop, 10, 10, MISMATCH);
  canvas.text(MARGIN + 16, legendTop + 2, 'VALID IN ONE PRODUCT ONLY', 1, INK);
  const second = MARGIN + 16 + Canvas.textWidth('VALID IN ONE PRODUCT ONLY', 1) + 24;
  canvas.fillRect(second, legendTop, 10, 10, NO_DATA);
  canvas.text(second + 16, legendTop + 2, 'NO DATA IN EITHER', 1, INK);
  return canvas.toPng();
}
