import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RasterReader, readRasterInfo } from '../../src/isce/raster.js';
import { makeWaterMask, pekelTileName, pekelTiles } from '../../src/processor/water-mask.js';
import { fileService, type LocalService } from '../helpers/services.js';
import { tempDir } from '../helpers/tmp.js';
import { writeGeoTiff } from '../helpers/tiff-writer.js';

/**
 * Occurrence tiles at 0.1° (100 × 100 px for 10°) instead of 0.00025°, so a frame-sized mask stays small; the code
 * is the one for the real tiles. Tile 70W 50N holds a lake (100 %) over 48–49°N 69–68°W, a band at 47.5–48°N that
 * is 94 % (land) west of 68.5°W and 95 % (water) east of it, and the sea (no data, 255) south of 47°N.
 */
const TILE_SPACING = 0.1;
const occurrence = (lat: number, lon: number): number => {
  if (lat < 47) return 255;
  if (lat >= 48 && lat < 49 && lon >= -69 && lon < -68) return 100;
  if (lat >= 47.5 && lat < 48) return lon < -68.5 ? 94 : 95;
  return 0;
};

let server: LocalService;

beforeAll(async () => {
  const n = Math.round(10 / TILE_SPACING);
  const values = new Float32Array(n * n);
  // Pixel-is-area tiles: pixel (i, j) spans [50 - 0.1(i+1), 50 - 0.1i] × [-70 + 0.1j, -70 + 0.1(j+1)].
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      values[i * n + j] = occurrence(50 - (i + 0.5) * TILE_SPACING, -70 + (j + 0.5) * TILE_SPACING);
  const tile = writeGeoTiff({
    width: n,
    height: n,
    values,
    x0: -70,
    y0: 50,
    dx: TILE_SPACING,
    dy: -TILE_SPACING,
    point: false,
    sampleType: 'uint8',
    compression: 'lzw',
    tile: 32,
    noData: 255,
  });
  // Only 70W 50N exists; 80W 50N (west of -70°) is left out, like a tile of open sea.
  server = await fileService(new Map([[`/gsw/${pekelTileName(50, -70)}`, tile]])).start();
});

describe('the water mask made from the Pekel occurrence tiles', () => {
  it('names tiles by their north-west corner and selects every tile the bounds touch inside', () => {
    expect(pekelTileName(50, -80)).toBe('occurrence_80W_50Nv1_4_2021.tif');
    expect(pekelTileName(0, 0)).toBe('occurrence_0E_0Nv1_4_2021.tif');
    expect(pekelTileName(-10, 170)).toBe('occurrence_170E_10Sv1_4_2021.tif');
    expect(pekelTiles([-72, 46, -67, 50]).map((t) => t.name)).toEqual([
      'occurrence_80W_50Nv1_4_2021.tif',
      'occurrence_70W_50Nv1_4_2021.tif',
    ]);
    expect(pekelTiles([-1, 9, 1, 11]).map((t) => t.name)).toEqual([
      'occurrence_10W_20Nv1_4_2021.tif',
      'occurrence_0E_20Nv1_4_2021.tif',
      'occurrence_10W_10Nv1_4_2021.tif',
      'occurrence_0E_10Nv1_4_2021.tif',
    ]);
  });

  it('marks water (occurrence ≥ 95 %, no data, absent tiles) as 255 and land as 0 in an ISCE2 BYTE raster', async () => {
    const dir = tempDir();
    const path = join(dir, 'water_mask.wgs84');
    const logs: string[] = [];
    const spacing = 0.05;
    const result = await makeWaterMask(
      [-72, 46, -67, 50],
      path,
      { tilesUrl: `${server.base}/gsw`, http: { retries: 0, backoffMs: 1 } },
      { spacing, log: (l) => logs.push(l) },
    );
    expect(result).toMatchObject({ width: 100, length: 80, tilesMissing: 1 });
    const info = readRasterInfo(path);
    expect(info).toMatchObject({
      width: 100,
      length: 80,
      dataType: 'BYTE',
      x0: -72,
      y0: 50,
      dx: spacing,
      dy: -spacing,
    });
    const reader = new RasterReader(info);
    const mask = reader.readRows(1, 0, 80, new Float32Array(100 * 80));
    reader.close();
    // The value of the output pixel whose centre is nearest (lat, lon), and the truth from the tile's definition.
    const at = (lat: number, lon: number): number =>
      mask[Math.floor((50 - lat) / spacing) * 100 + Math.floor((lon + 72) / spacing)]!;
    const truth = (lat: number, lon: number): number => (lon < -70 || occurrence(lat, lon) >= 95 ? 255 : 0);
    const probes: [number, number][] = [
      [49.9, -71.5], // absent tile: open water
      [49.5, -69.5], // land
      [48.5, -68.5], // the lake
      [47.7, -69], // 94 %: land
      [47.7, -68.2], // 95 %: water
      [46.5, -68], // no data: the sea
    ];
    for (const [lat, lon] of probes) expect(at(lat, lon), `(${lat}, ${lon})`).toBe(truth(lat, lon));
    // Every pixel agrees with the definition, sampled at its centre.
    let disagree = 0;
    let water = 0;
    for (let r = 0; r < 80; r++) {
      for (let c = 0; c < 100; c++) {
        const lat = 50 - (r + 0.5) * spacing;
        const lon = -72 + (c + 0.5) * spacing;
        if (mask[r * 100 + c] !== truth(lat, lon)) disagree++;
        if (mask[r * 100 + c] === 255) water++;
      }
    }
    expect(disagree).toBe(0);
    expect(result.waterFraction).toBeCloseTo(water / 8000, 12);
    expect(readFileSync(`${path}.xml`, 'utf8')).toContain('<value>BYTE</value>');
    expect(logs.at(-1)).toMatch(/water_mask\.wgs84: 100 × 80, \d+\.\d % water; 1 tile\(s\) absent \(open water\)/);
  });

  it('refuses when no tile exists at all (a wrong URL), naming the option, and leaves no file behind', async () => {
    const dir = tempDir();
    const path = join(dir, 'water_mask.wgs84');
    await expect(
      makeWaterMask(
        [-72, 46, -67, 50],
        path,
        { tilesUrl: `${server.base}/nowhere`, http: { retries: 0, backoffMs: 1 } },
        { spacing: 0.05 },
      ),
    ).rejects.toThrow(
      /^none of the 2 water occurrence tile\(s\) over -72,46,-67,50 exist under http:\/\/127\.0\.0\.1:\d+\/nowhere .*check --water-mask-tiles-url$/,
    );
    expect(() => readFileSync(path)).toThrow();
    expect(() => readFileSync(`${path}.partial`)).toThrow();
  });
});
