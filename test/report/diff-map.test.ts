import { describe, expect, it } from 'vitest';
import type { DifferencePreview } from '../../src/compare/previews.js';
import { colorLimit, renderDifferenceMap } from '../../src/report/diff-map.js';
import { decodePng } from '../helpers/png.js';

/**
 * A 20 × 40 unwrapped-phase map: the right half is a whole +2π jump the report explains, and a 3 × 3 patch on the
 * left fails by 0.05 rad — the case where the jump used to hide the failure in the same dark red.
 */
function preview(withCycles: boolean): DifferencePreview {
  const rows = 20;
  const cols = 40;
  const diff = new Float32Array(rows * cols).fill(0.0001);
  for (let r = 0; r < rows; r++) for (let c = 20; c < cols; c++) diff[r * cols + c] = 2 * Math.PI;
  for (let r = 8; r < 11; r++) for (let c = 5; c < 8; c++) diff[r * cols + c] = 0.05;
  return {
    path: '/science/grids/data/unwrappedPhase',
    units: 'rad',
    rows,
    cols,
    step: 4,
    diff,
    mismatch: new Uint8Array(rows * cols),
    tolerance: 0.001,
    extent: { firstLat: 48.7, lastLat: 47.21, firstLon: -71.3, lastLon: -67.61 },
    ...(withCycles ? { ambiguityCycles: [1] } : {}),
  };
}

describe('difference maps', () => {
  it('scales its colours to the real failures, not to a 2π jump the report explains', () => {
    expect(colorLimit(preview(true))).toBeCloseTo(0.05, 5);
    expect(colorLimit(preview(false))).toBeCloseTo(2 * Math.PI, 5);
  });

  it('draws the explained jump hatched grey and the failure beside it in full red, scaled up, with axes and text', () => {
    const { width, height, rgba } = decodePng(renderDifferenceMap(preview(true)));
    const pixel = (x: number, y: number) => Array.from(rgba.subarray((y * width + x) * 4, (y * width + x) * 4 + 3));
    // The map is scaled to ~480 px: 40 columns → 12 px per cell, after the title lines and the latitude axis.
    const scale = 12;
    const left = 14 + 58;
    const top = 14 + 2 * 20 + 6;
    const cell = (r: number, c: number) => pixel(left + c * scale + scale / 2, top + r * scale + scale / 2);
    const [red, green, blue] = cell(9, 6);
    expect(red).toBeGreaterThan(90);
    expect(green).toBeLessThan(40);
    expect(blue).toBeLessThan(60);
    // Inside the jump: only greys (the hatch and its ground), never a colour of the scale.
    const greys = new Set<string>();
    for (let y = top + 5 * scale; y < top + 6 * scale; y++)
      for (let x = left + 25 * scale; x < left + 26 * scale; x++) greys.add(pixel(x, y).join(','));
    expect([...greys].sort()).toEqual(['110,110,110', '170,170,170']);
    // Title, subtitle and the latitude labels left of the map are drawn (anti-aliased dark text).
    const dark = (x0: number, y0: number, x1: number, y1: number) => {
      let n = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (pixel(x, y)[0]! < 100) n++;
      return n;
    };
    expect(dark(14, 14, 300, 34)).toBeGreaterThan(100);
    expect(dark(0, top - 4, left - 6, top + 14)).toBeGreaterThan(30);
    expect(width).toBeGreaterThanOrEqual(left + 40 * scale);
    expect(height).toBeGreaterThan(top + 20 * scale);
  });
});
