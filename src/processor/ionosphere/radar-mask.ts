import { closeSync, openSync } from 'node:fs';
import { readRasterInfo, RasterReader } from '../../isce/raster.js';
import { writeRowBlocks } from '../../isce/write-raster.js';
import { readFully } from '../../io/read-fully.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { rasterXml } from './rasters.js';

/**
 * The water mask in a burst's radar grid, and the sub-band interferograms masked with it (the plugin's
 * `raster_geo2radar` and `mask_interferogram`): each radar pixel takes the mask pixel its latitude and longitude
 * fall in, index = trunc((coordinate − first)/spacing + 0.5) (so up to one pixel before the first still maps to
 * it, as numpy's int32 cast does); interferogram pixels where that value is non-zero become 0 + 0i.
 * Differences from the plugin: radar pixels outside the mask get 0 (the plugin leaves them as uninitialised
 * memory), and the masked interferogram is written beside the original and renamed over it, so a failure never
 * leaves half a burst masked.
 * Bursts are handled in blocks of rows, so a 250 MB latitude raster is never read whole.
 */

const BLOCK_ROWS = 128;

export interface BurstMaskResult {
  readonly width: number;
  readonly length: number;
  /** Radar pixels the mask calls water. */
  readonly water: number;
}

export function maskIndex(coordinate: number, first: number, spacing: number): number {
  return Math.trunc((coordinate - first) / spacing + 0.5);
}

/** Writes `out` (BYTE, with its .xml): the mask's value at each pixel of the burst whose lat/lon rasters are given. */
export function projectMaskToBurst(maskPath: string, latPath: string, lonPath: string, out: string): BurstMaskResult {
  const mask = readRasterInfo(maskPath);
  const lat = readRasterInfo(latPath);
  const lon = readRasterInfo(lonPath);
  if (lat.width !== lon.width || lat.length !== lon.length)
    throw new Error(
      `${latPath} (${lat.width} × ${lat.length}) and ${lonPath} (${lon.width} × ${lon.length}) differ in size`,
    );
  const maskReader = new RasterReader(mask);
  const latReader = new RasterReader(lat);
  const lonReader = new RasterReader(lon);
  const { width, length } = lat;
  const values = new Uint8Array(width * length);
  let water = 0;
  try {
    const lats = new Float64Array(BLOCK_ROWS * width);
    const lons = new Float64Array(BLOCK_ROWS * width);
    for (let row0 = 0; row0 < length; row0 += BLOCK_ROWS) {
      const rows = Math.min(BLOCK_ROWS, length - row0);
      latReader.readRows(1, row0, rows, lats);
      lonReader.readRows(1, row0, rows, lons);
      const lines = new Int32Array(rows * width);
      const samples = new Int32Array(rows * width);
      let first = Infinity;
      let last = -Infinity;
      for (let i = 0; i < rows * width; i++) {
        const line = maskIndex(lats[i]!, mask.y0, mask.dy);
        const sample = maskIndex(lons[i]!, mask.x0, mask.dx);
        const inside = line >= 0 && line < mask.length && sample >= 0 && sample < mask.width;
        lines[i] = inside ? line : -1;
        samples[i] = sample;
        if (inside) {
          first = Math.min(first, line);
          last = Math.max(last, line);
        }
      }
      if (first > last) continue;
      const band = maskReader.readRows(1, first, last - first + 1, new Float32Array((last - first + 1) * mask.width));
      for (let i = 0; i < rows * width; i++) {
        if (lines[i]! < 0) continue;
        // As the plugin's int8 cast: 255 (water) is stored as the byte 0xFF.
        const value = band[(lines[i]! - first) * mask.width + samples[i]!]! & 0xff;
        values[row0 * width + i] = value;
        if (value !== 0) water++;
      }
    }
  } finally {
    for (const reader of [maskReader, latReader, lonReader]) reader.close();
  }
  writeFileAtomic(out, values);
  writeFileAtomic(`${out}.xml`, rasterXml(out, width, length, 1, 'BYTE'));
  return { width, length, water };
}

/** Zeroes the complex interferogram where `mask` (a BYTE raster of the same size) is non-zero; returns how many. */
export async function maskInterferogram(interferogram: string, mask: string): Promise<number> {
  const ifg = readRasterInfo(interferogram);
  const msk = readRasterInfo(mask);
  if (ifg.dataType !== 'CFLOAT' || ifg.bands !== 1)
    throw new Error(`${interferogram}: expected one band of CFLOAT, its .xml says ${ifg.bands} of ${ifg.dataType}`);
  if (ifg.width !== msk.width || ifg.length !== msk.length)
    throw new Error(
      `the mask ${mask} (${msk.width} × ${msk.length}) does not match the interferogram ${interferogram} (${ifg.width} × ${ifg.length})`,
    );
  // Written beside the original and renamed over it by writeRowBlocks, as every raster the processor writes.
  const flagReader = new RasterReader(msk);
  const input = openSync(interferogram, 'r');
  const rowBytes = ifg.width * 8;
  const pixels = new Float32Array(BLOCK_ROWS * ifg.width * 2);
  const bytes = new Uint8Array(pixels.buffer);
  let zeroed = 0;
  try {
    await writeRowBlocks(interferogram, ifg.length, BLOCK_ROWS, (row0, rows) => {
      const view = bytes.subarray(0, rows * rowBytes);
      readFully(input, view, row0 * rowBytes, () => new Error(`${interferogram}: unexpected end of file`));
      const flags = flagReader.readRows(1, row0, rows, new Float32Array(rows * ifg.width));
      for (let i = 0; i < rows * ifg.width; i++) {
        if (flags[i] === 0) continue;
        if (pixels[2 * i] !== 0 || pixels[2 * i + 1] !== 0) zeroed++;
        pixels[2 * i] = 0;
        pixels[2 * i + 1] = 0;
      }
      return view;
    });
  } finally {
    closeSync(input);
    flagReader.close();
  }
  return zeroed;
}
