import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SlabSource } from '../netcdf/spec.js';
import { RasterReader, readRasterInfo, type RasterInfo } from '../isce/raster.js';
import { GridBits } from './grid-bits.js';
import type { WaterMaskLookup } from './water-mask.js';

/**
 * The ISCE2 rasters of `merged/` as the GUNW's layers: each layer is a slab source (rows on demand, so the netCDF
 * writer streams it), with the per-pixel rules of the product applied (fill where the amplitude is 0) and running
 * statistics gathered as the rows go by.
 */

export const MERGED_FILES = {
  unwrapped: 'filt_topophase.unw.geo',
  coherence: 'phsig.cor.geo',
  components: 'filt_topophase.unw.conncomp.geo',
  lineOfSight: 'los.rdr.geo',
  unfilteredCoherence: 'topophase.cor.geo',
  wrapped: 'filt_topophase.flat.geo',
  denseOffsets: 'dense_offsets.bil.geo',
  ionosphere: 'topophase.ion.geo',
  ionosphereAzimuthShift: 'topophase.ion.az_shift.geo',
} as const;

/** Mean of the values that are not 0 (0 is ISCE's "no data" in geocoded rasters), in float64. */
export class RunningMean {
  private sum = 0;
  private count = 0;

  add(values: Float32Array): void {
    // Locals for speed, continuing the same float64 sum (so the result does not depend on the slab size).
    let sum = this.sum;
    let count = this.count;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      // v - v is 0 only for finite v: one test for "not NaN, not ±Infinity".
      if (v !== 0 && v - v === 0) {
        sum += v;
        count++;
      }
    }
    this.sum = sum;
    this.count = count;
  }

  /**
   * The same over the pixels `excluded` does not flag; `values[i]` is pixel `start + i` of the grid. With `also`,
   * every valid value goes into that mean too, in the same pass (the product's with- and without-water means).
   */
  addExcept(values: Float32Array, excluded: GridBits, start: number, also?: RunningMean): void {
    let sum = this.sum;
    let count = this.count;
    let allSum = also?.sum ?? 0;
    let allCount = also?.count ?? 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v === 0 || v - v !== 0) continue;
      allSum += v;
      allCount++;
      const p = start + i;
      // Eight pixels of land (one zero byte of flags) are summed without looking at each flag.
      const flags = excluded.byte(p >> 3);
      if (flags !== 0 && (flags & (1 << (p & 7))) !== 0) continue;
      sum += v;
      count++;
    }
    this.sum = sum;
    this.count = count;
    if (also) {
      also.sum = allSum;
      also.count = allCount;
    }
  }

  get value(): number | null {
    return this.count > 0 ? this.sum / this.count : null;
  }
}

export class MergedDirectory {
  private readonly readers = new Map<string, RasterReader>();
  private swath: GridBits | null = null;
  readonly grid: RasterInfo;

  constructor(readonly directory: string) {
    this.grid = this.info(MERGED_FILES.unwrapped);
  }

  has(name: string): boolean {
    return existsSync(join(this.directory, name)) && existsSync(join(this.directory, `${name}.xml`));
  }

  info(name: string): RasterInfo {
    return readRasterInfo(join(this.directory, name));
  }

  reader(name: string, complex: 'magnitude' | 'phase' = 'magnitude'): RasterReader {
    const key = `${name}:${complex}`;
    let reader = this.readers.get(key);
    if (!reader) {
      const info = this.info(name);
      if (info.width !== this.grid.width || info.length !== this.grid.length) {
        throw new Error(
          `${info.path} is ${info.width} × ${info.length}, not on the data grid of ${MERGED_FILES.unwrapped} (${this.grid.width} × ${this.grid.length})`,
        );
      }
      reader = new RasterReader(info, complex);
      this.readers.set(key, reader);
    }
    return reader;
  }

  /** Pixels outside the swath: where the amplitude (band 1 of the unwrapped raster) is 0. Read once, then kept. */
  outsideSwath(): GridBits {
    if (!this.swath) {
      const { width, length } = this.grid;
      const amplitude = this.reader(MERGED_FILES.unwrapped);
      const rows = 64;
      const values = new Float32Array(rows * width);
      const flags = new Uint8Array(rows * width);
      this.swath = GridBits.build(width * length, rows * width, (start, count) => {
        const block = amplitude.readRows(1, start / width, count / width, values.subarray(0, count));
        for (let i = 0; i < count; i++) flags[i] = block[i] === 0 ? 1 : 0;
        return flags;
      });
    }
    return this.swath;
  }

  close(): void {
    for (const reader of this.readers.values()) reader.close();
    this.readers.clear();
  }
}

interface LayerOptions {
  readonly band: number;
  readonly complex?: 'magnitude' | 'phase';
  /** Replace values where the amplitude is 0 (outside the swath) with this. */
  readonly outsideSwath?: number;
  readonly mean?: RunningMean;
  /** Also the mean over pixels the water mask calls land. */
  readonly landMean?: { readonly mean: RunningMean; readonly water: WaterMaskLookup };
}

/** A layer of the data grid read from band `band` of `file`. */
export function rasterLayer(merged: MergedDirectory, file: string, options: LayerOptions): SlabSource {
  const width = merged.grid.width;
  return {
    kind: 'slabs',
    fresh: true,
    read(start, count) {
      const out = merged
        .reader(file, options.complex)
        .readRows(options.band, start, count, new Float32Array(count * width));
      // The statistics are the plugin's: over the ISCE2 raster's own non-zero pixels, before the swath mask below.
      options.mean?.add(out);
      if (options.landMean)
        options.landMean.mean.addExcept(out, options.landMean.water.bits(merged.grid), start * width);
      if (options.outsideSwath !== undefined) merged.outsideSwath().fill(out, start * width, options.outsideSwath);
      return out;
    },
  };
}

/** Mean incidence and azimuth angles from los.rdr.geo (bands 1 and 2), one pass in row blocks. */
export function lineOfSightMeans(
  merged: MergedDirectory,
  block = 256,
): { incidence: number | null; azimuth: number | null } {
  const reader = merged.reader(MERGED_FILES.lineOfSight);
  const { width, length } = reader.info;
  const incidence = new RunningMean();
  const azimuth = new RunningMean();
  const rows = new Float32Array(block * width);
  for (let start = 0; start < length; start += block) {
    const count = Math.min(block, length - start);
    const view = rows.subarray(0, count * width);
    incidence.add(reader.readRows(1, start, count, view));
    azimuth.add(reader.readRows(2, start, count, view));
  }
  return { incidence: incidence.value, azimuth: azimuth.value };
}

export interface ResampledLayer {
  readonly lons: Float64Array;
  readonly lats: Float64Array;
  readonly values: Float32Array;
}

/** The ionosphere grid of the GUNW: about 1 km (0.0091666666°), from the same upper-left origin. */
export const IONOSPHERE_SPACING = 0.0091666666;

/**
 * Bilinear resampling of a data-grid raster (0 = no data) to a coarser grid with the same origin; cells without
 * data, or whose nearest data pixel is outside the swath (amplitude 0, connected component -1), become NaN.
 */
export function resampleToGrid(merged: MergedDirectory, file: string, band: number, spacing: number): ResampledLayer {
  const grid = merged.grid;
  const reader = merged.reader(file);
  const factorX = spacing / Math.abs(grid.dx);
  const factorY = spacing / Math.abs(grid.dy);
  const width = Math.max(1, Math.floor((grid.width * Math.abs(grid.dx)) / spacing));
  const length = Math.max(1, Math.floor((grid.length * Math.abs(grid.dy)) / spacing));
  const values = new Float32Array(width * length).fill(Number.NaN);
  const two = new Float32Array(2 * grid.width);
  const amplitude = new Float32Array(grid.width);
  const amplitudes = merged.reader(MERGED_FILES.unwrapped);
  for (let i = 0; i < length; i++) {
    const y = Math.min(grid.length - 1, i * factorY);
    const r0 = Math.floor(y);
    const r1 = Math.min(grid.length - 1, r0 + 1);
    reader.readRows(band, r0, 1, two.subarray(0, grid.width));
    reader.readRows(band, r1, 1, two.subarray(grid.width));
    amplitudes.readRows(1, Math.min(grid.length - 1, Math.round(y)), 1, amplitude);
    const fy = y - r0;
    for (let j = 0; j < width; j++) {
      const x = Math.min(grid.width - 1, j * factorX);
      const c0 = Math.floor(x);
      const c1 = Math.min(grid.width - 1, c0 + 1);
      const fx = x - c0;
      if (amplitude[Math.min(grid.width - 1, Math.round(x))] === 0) continue;
      const corners = [two[c0]!, two[c1]!, two[grid.width + c0]!, two[grid.width + c1]!];
      if (corners.some((v) => v === 0 || !Number.isFinite(v))) continue;
      values[i * width + j] =
        (corners[0]! * (1 - fx) + corners[1]! * fx) * (1 - fy) + (corners[2]! * (1 - fx) + corners[3]! * fx) * fy;
    }
  }
  return {
    lons: Float64Array.from({ length: width }, (_, j) => grid.x0 + j * spacing * Math.sign(grid.dx)),
    lats: Float64Array.from({ length }, (_, i) => grid.y0 + i * spacing * Math.sign(grid.dy)),
    values,
  };
}
