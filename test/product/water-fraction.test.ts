import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAND_POLYGONS_PATH, landPolygons } from '../../src/io/land-polygons.js';
import type { MultiPolygon } from '../../src/product/geometry.js';
import { waterPercent, waterWarning } from '../../src/product/water-fraction.js';
import { hasPythonModules, PYTHON } from '../helpers/tools.js';

/** Interferogram outlines over land, coasts, islands and open sea, in both hemispheres (lon, lat). */
const OUTLINES: Record<string, [number, number][]> = {
  'frame 25502 (Québec)': [
    [-71.35, 47.05],
    [-69.0, 47.3],
    [-68.7, 48.9],
    [-71.1, 49.2],
    [-71.35, 47.05],
  ],
  'Washington coast': [
    [-125, 45],
    [-122, 45],
    [-122, 47],
    [-125, 47],
    [-125, 45],
  ],
  'open Pacific': [
    [-150, 20],
    [-148, 20],
    [-148, 22],
    [-150, 22],
    [-150, 20],
  ],
  'Tokyo Bay': [
    [139, 34],
    [141, 34],
    [141, 36.5],
    [139, 36.5],
    [139, 34],
  ],
  'Chilean lakes': [
    [-72, -42],
    [-70, -42],
    [-70, -40],
    [-72, -40],
    [-72, -42],
  ],
  'Danish straits': [
    [12, 54],
    [15, 54],
    [15, 56],
    [12, 56],
    [12, 54],
  ],
  'Hawaii (a tilted swath)': [
    [-156.2, 18.8],
    [-154.6, 19.2],
    [-155.0, 20.9],
    [-156.6, 20.5],
    [-156.2, 18.8],
  ],
  'Bass Strait': [
    [144, -41],
    [148, -41],
    [148, -38.5],
    [144, -38.5],
    [144, -41],
  ],
};

describe('the water warning (Natural Earth 10 m land, as the plugin computes it)', () => {
  it.skipIf(!hasPythonModules('shapely', 'shapefile'))(
    'gives the percentage shapely gives, to well within 0.1 %',
    async () => {
      const land = await landPolygons();
      const names = Object.keys(OUTLINES);
      const run = spawnSync(
        PYTHON,
        [join(import.meta.dirname, '../fixtures/water_percent_reference.py'), LAND_POLYGONS_PATH],
        { input: JSON.stringify(Object.values(OUTLINES)), encoding: 'utf8' },
      );
      expect(run.status, run.stderr).toBe(0);
      const reference = JSON.parse(run.stdout) as number[];
      names.forEach((name, i) => {
        const ours = waterPercent([[OUTLINES[name]!]] as MultiPolygon, land);
        expect(Math.abs(ours - reference[i]!), name).toBeLessThan(0.001);
      });
      expect(reference[names.indexOf('open Pacific')]).toBe(100);
    },
    60_000,
  );

  it("warns at 80 % water and more, in the plugin's words, and stays silent below", () => {
    expect(waterWarning(100)).toBe(
      'The IFG is 100.00% water; If there are not enough bursts over land - ISCE2 will fail.',
    );
    expect(waterWarning(80)).toBe(
      'The IFG is 80.00% water; If there are not enough bursts over land - ISCE2 will fail.',
    );
    expect(waterWarning(79.99)).toBeNull();
  });
});
