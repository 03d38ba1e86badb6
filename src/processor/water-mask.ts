import { basename } from 'node:path';
import type { HttpOptions } from '../io/http.js';
import type { GeoTiff } from '../io/tiff.js';
import { writeRowBlocks } from '../isce/write-raster.js';
import { imageXml } from '../isce/write-xml.js';
import type { Bounds } from '../product/geometry.js';
import { RemoteTiles } from './remote-tiles.js';
import { writeFileAtomic } from '../io/atomic-write.js';

/**
 * The water mask the plugin made with tile-mate: the JRC Global Surface Water (Pekel et al.) 2021 occurrence tiles
 * (10° × 10°, 0.00025° pixels), water where occurrence ≥ 95 %, written as an ISCE2 BYTE raster (255 water, 0 land)
 * over whole-degree bounds on the tiles' own grid. As in the plugin, the tiles' no-data value (255, the open sea) is
 * ≥ 95 and so water, and a tile the set leaves out (all sea) is water too. Rows are made in blocks.
 */

export const PEKEL_TILES_URL = 'https://storage.googleapis.com/global-surface-water/downloads2021/occurrence';
export const PEKEL_SPACING = 0.00025;
export const WATER_OCCURRENCE_PERCENT = 95;
export const WATER = 255;
const TILE_DEG = 10;
const BLOCK_ROWS = 512;

export interface WaterMaskSources {
  /** Base URL of the occurrence tiles (`<base>/occurrence_<lon>_<lat>v1_4_2021.tif`). */
  readonly tilesUrl: string;
  readonly http?: HttpOptions;
}

/** `occurrence_80W_50Nv1_4_2021.tif`: the tile whose north-west corner is (north, west), multiples of 10°. */
export function pekelTileName(north: number, west: number): string {
  const lon = `${Math.abs(west)}${west < 0 ? 'W' : 'E'}`;
  const lat = `${Math.abs(north)}${north < 0 ? 'S' : 'N'}`;
  return `occurrence_${lon}_${lat}v1_4_2021.tif`;
}

/** The tiles covering whole-degree bounds, by their north-west corners. */
export function pekelTiles(bounds: Bounds): { north: number; west: number; name: string }[] {
  const [west, south, east, north] = bounds;
  const tiles: { north: number; west: number; name: string }[] = [];
  for (let n = Math.ceil(north / TILE_DEG) * TILE_DEG; n > south; n -= TILE_DEG) {
    for (let w = Math.floor(west / TILE_DEG) * TILE_DEG; w < east; w += TILE_DEG)
      tiles.push({ north: n, west: w, name: pekelTileName(n, w) });
  }
  return tiles;
}

export interface WaterMaskResult {
  readonly path: string;
  readonly width: number;
  readonly length: number;
  /** Fraction of the mask's pixels that are water. */
  readonly waterFraction: number;
  readonly tilesMissing: number;
}

export interface WaterMaskOptions {
  readonly log?: (line: string) => void;
  /** Pixel size in degrees: the tiles' 0.00025° unless a test asks for less work. */
  readonly spacing?: number;
}

/** The ISCE2 `.xml` of a water mask raster (one band of bytes, 255 = water) on a north-up grid, written whole. */
export function writeWaterMaskXml(
  path: string,
  grid: { file: string; west: number; north: number; spacing: number; width: number; length: number },
): void {
  writeFileAtomic(
    `${path}.xml`,
    imageXml({
      file: grid.file,
      width: grid.width,
      length: grid.length,
      bands: 1,
      dataType: 'BYTE',
      scheme: 'BIL',
      x0: grid.west,
      dx: grid.spacing,
      y0: grid.north,
      dy: -grid.spacing,
    }),
  );
}

export async function makeWaterMask(
  bounds: Bounds,
  path: string,
  sources: WaterMaskSources,
  options: WaterMaskOptions = {},
): Promise<WaterMaskResult> {
  const [west, south, east, north] = bounds;
  const spacing = options.spacing ?? PEKEL_SPACING;
  const log = options.log ?? (() => undefined);
  const width = Math.round((east - west) / spacing);
  const length = Math.round((north - south) / spacing);
  const base = sources.tilesUrl.replace(/\/+$/, '');
  const tiles = new RemoteTiles(sources.http);
  const needed = pekelTiles(bounds);
  for (const t of needed) await tiles.tile(`${base}/${t.name}`);
  const found = await tiles.found();
  if (found === 0) {
    await tiles.close();
    // All sea is possible in principle, but a frame never is: a wrong URL is far likelier.
    throw new Error(
      `none of the ${needed.length} water occurrence tile(s) over ${bounds.join(',')} exist under ${base} (${needed[0]!.name}, …): check --water-mask-tiles-url`,
    );
  }
  let water = 0;
  try {
    await writeRowBlocks(
      path,
      length,
      BLOCK_ROWS,
      async (row0, rows) => {
        const block = new Uint8Array(rows * width).fill(WATER);
        for (const t of needed) {
          const tile = await tiles.tile(`${base}/${t.name}`);
          if (tile) await paintTile(block, tile, { west, north, spacing, width, row0, rows }, t);
        }
        for (const v of block) if (v === WATER) water++;
        return block;
      },
      { log, label: 'water mask' },
    );
  } finally {
    await tiles.close();
  }
  writeWaterMaskXml(path, { file: path, west, north, spacing, width, length });
  const waterFraction = length * width > 0 ? water / (length * width) : 0;
  const missing = needed.length - found;
  log(
    `${basename(path)}: ${width} × ${length}, ${(100 * waterFraction).toFixed(1)} % water${missing > 0 ? `; ${missing} tile(s) absent (open water)` : ''}`,
  );
  return { path, width, length, waterFraction, tilesMissing: missing };
}

interface BlockGrid {
  readonly west: number;
  readonly north: number;
  readonly spacing: number;
  readonly width: number;
  readonly row0: number;
  readonly rows: number;
}

/** Writes land (0) into the block where this tile says occurrence < 95 %, sampling the tile at each pixel centre. */
async function paintTile(
  block: Uint8Array,
  tile: GeoTiff,
  grid: BlockGrid,
  t: { north: number; west: number },
): Promise<void> {
  const { info } = tile;
  const { west, north, spacing, width, row0, rows } = grid;
  // Pixel centres of this block that fall inside the tile.
  const latOf = (r: number): number => north - (r + 0.5) * spacing;
  const lonOf = (c: number): number => west + (c + 0.5) * spacing;
  let r0 = row0;
  while (r0 < row0 + rows && latOf(r0) > t.north) r0++;
  let r1 = row0 + rows;
  while (r1 > r0 && latOf(r1 - 1) < t.north - TILE_DEG) r1--;
  let c0 = 0;
  while (c0 < width && lonOf(c0) < t.west) c0++;
  let c1 = width;
  while (c1 > c0 && lonOf(c1 - 1) > t.west + TILE_DEG) c1--;
  if (r0 >= r1 || c0 >= c1) return;
  // Nearest tile pixel: the tile's pixel (i, j) is centred at (x0 + j·dx, y0 + i·dy).
  const rowIn = (r: number): number =>
    Math.min(info.height - 1, Math.max(0, Math.round((latOf(r) - info.y0) / info.dy)));
  const colIn = (c: number): number =>
    Math.min(info.width - 1, Math.max(0, Math.round((lonOf(c) - info.x0) / info.dx)));
  const tr0 = rowIn(r0);
  const tr1 = rowIn(r1 - 1);
  const tc0 = colIn(c0);
  const tc1 = colIn(c1 - 1);
  const cols = tc1 - tc0 + 1;
  const window = await tile.readWindow(tr0, tr1 - tr0 + 1, tc0, cols);
  const columns = Int32Array.from({ length: c1 - c0 }, (_, k) => colIn(c0 + k) - tc0);
  for (let r = r0; r < r1; r++) {
    const source = (rowIn(r) - tr0) * cols;
    const target = (r - row0) * width;
    for (let k = 0; k < columns.length; k++) {
      if (window[source + columns[k]!]! < WATER_OCCURRENCE_PERCENT) block[target + c0 + k] = 0;
    }
  }
}
