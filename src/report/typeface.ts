import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import opentype from 'opentype.js';

/**
 * Text for the difference maps in a real typeface: DejaVu Sans (bundled in data/fonts, Bitstream Vera licence),
 * read with opentype.js, and each glyph's outline turned into filled spans with 4 × 4 coverage sampling. Glyphs are
 * drawn one by one (no shaping): the labels are Latin, digits, Greek and a few symbols. The rasteriser is this
 * file's rather than a canvas library's because the maintained one with text (@napi-rs/canvas) is a native binary of
 * 36 MB per platform (linux-x64-gnu 1.2.1, unpacked), which the bundled regression action cannot carry.
 */

export const FONT_PATH = join(import.meta.dirname, '../../data/fonts/DejaVuSans.ttf');

let font: opentype.Font | null = null;

function typeface(): opentype.Font {
  if (!font) {
    const bytes = readFileSync(FONT_PATH);
    font = opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }
  return font;
}

type Point = [number, number];

/** The glyph outlines of `text` at `size` px, baseline at `y`, as closed polygons (curves flattened). */
function outlines(text: string, x: number, y: number, size: number): Point[][] {
  const face = typeface();
  const polygons: Point[][] = [];
  let pen = x;
  for (const char of text) {
    const glyph = face.charToGlyph(char);
    let current: Point[] = [];
    let last: Point = [pen, y];
    for (const c of glyph.getPath(pen, y, size).commands) {
      if (c.type === 'M') {
        if (current.length > 2) polygons.push(current);
        current = [[c.x, c.y]];
        last = [c.x, c.y];
      } else if (c.type === 'L') {
        current.push([c.x, c.y]);
        last = [c.x, c.y];
      } else if (c.type === 'Q' || c.type === 'C') {
        const [x0, y0] = last;
        for (let i = 1; i <= 8; i++) {
          const t = i / 8;
          const u = 1 - t;
          current.push(
            c.type === 'Q'
              ? [u * u * x0 + 2 * u * t * c.x1 + t * t * c.x, u * u * y0 + 2 * u * t * c.y1 + t * t * c.y]
              : [
                  u ** 3 * x0 + 3 * u * u * t * c.x1 + 3 * u * t * t * c.x2 + t ** 3 * c.x,
                  u ** 3 * y0 + 3 * u * u * t * c.y1 + 3 * u * t * t * c.y2 + t ** 3 * c.y,
                ],
          );
        }
        last = [c.x, c.y];
      } else if (c.type === 'Z') {
        if (current.length > 2) polygons.push(current);
        current = [];
      }
    }
    if (current.length > 2) polygons.push(current);
    pen += (glyph.advanceWidth ?? 0) * (size / face.unitsPerEm);
  }
  return polygons;
}

/** Width of `text` in pixels at `size`. */
export function measureText(text: string, size: number): number {
  const face = typeface();
  let width = 0;
  for (const char of text) width += (face.charToGlyph(char).advanceWidth ?? 0) * (size / face.unitsPerEm);
  return Math.ceil(width);
}

/** Distance from the top of a line to its baseline at `size`. */
export function ascent(size: number): number {
  const face = typeface();
  return Math.ceil((face.ascender / face.unitsPerEm) * size);
}

const SAMPLES = 4;

/**
 * Coverage (0–1) of each pixel of the box [x0, x0 + w) × [y0, y0 + h) by the text, non-zero winding, from
 * 4 × 4 samples per pixel.
 */
export function textCoverage(
  text: string,
  x: number,
  baseline: number,
  size: number,
  box: { x0: number; y0: number; w: number; h: number },
): Float32Array {
  const coverage = new Float32Array(box.w * box.h);
  const edges = outlines(text, x, baseline, size).flatMap((polygon) =>
    polygon.map((p, i) => [p, polygon[(i + 1) % polygon.length]!] as const),
  );
  for (let sy = 0; sy < box.h * SAMPLES; sy++) {
    const y = box.y0 + (sy + 0.5) / SAMPLES;
    const crossings: [number, number][] = [];
    for (const [[xa, ya], [xb, yb]] of edges) {
      if ((ya <= y && yb > y) || (yb <= y && ya > y))
        crossings.push([xa + ((y - ya) * (xb - xa)) / (yb - ya), yb > ya ? 1 : -1]);
    }
    crossings.sort((a, b) => a[0] - b[0]);
    let winding = 0;
    for (let k = 0; k < crossings.length - 1; k++) {
      winding += crossings[k]![1];
      if (winding === 0) continue;
      const from = Math.max(0, Math.ceil((crossings[k]![0] - box.x0) * SAMPLES - 0.5));
      const to = Math.min(box.w * SAMPLES - 1, Math.floor((crossings[k + 1]![0] - box.x0) * SAMPLES - 0.5));
      const row = Math.floor(sy / SAMPLES) * box.w;
      for (let sx = from; sx <= to; sx++) coverage[row + Math.floor(sx / SAMPLES)]! += 1 / (SAMPLES * SAMPLES);
    }
  }
  return coverage;
}
