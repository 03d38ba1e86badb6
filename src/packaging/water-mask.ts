import { GridBits } from './grid-bits.js';
import { RasterReader, readRasterInfo, type RasterInfo } from '../isce/raster.js';

/**
 * The job's water mask (an ISCE2 raster, non-zero = water) looked up at the data grid's pixels by nearest
 * neighbour: the `*_with_water_mask` coherence statistics leave water out. Grid pixels sit at the product's
 * coordinates (`x0 + j·dx`, as written to `longitude`); mask pixels span [x0 + k·dx, x0 + (k+1)·dx), as the
 * water-mask step writes them. Pixels the mask does not cover count as land. Reads one mask row per grid row, so memory
 * stays at a row of each.
 */
export class WaterMaskLookup {
  private readonly reader: RasterReader;
  private readonly info: RasterInfo;
  private readonly row: Float32Array;
  private rowIndex = -1;
  private cached: { grid: RasterInfo; bits: GridBits } | null = null;

  constructor(path: string) {
    this.info = readRasterInfo(path);
    this.reader = new RasterReader(this.info);
    this.row = new Float32Array(this.info.width);
  }

  /** 1 where the grid pixel is water, for rows [start, start + count) of `grid`. */
  flags(grid: RasterInfo, start: number, count: number): Uint8Array {
    const { width } = grid;
    const out = new Uint8Array(count * width);
    const columns = Int32Array.from({ length: width }, (_, j) =>
      Math.floor((grid.x0 + j * grid.dx - this.info.x0) / this.info.dx),
    );
    for (let r = 0; r < count; r++) {
      const lat = grid.y0 + (start + r) * grid.dy;
      const maskRow = Math.floor((lat - this.info.y0) / this.info.dy);
      if (maskRow < 0 || maskRow >= this.info.length) continue;
      if (maskRow !== this.rowIndex) {
        this.reader.readRows(1, maskRow, 1, this.row);
        this.rowIndex = maskRow;
      }
      for (let j = 0; j < width; j++) {
        const c = columns[j]!;
        if (c >= 0 && c < this.info.width && this.row[c] !== 0) out[r * width + j] = 1;
      }
    }
    return out;
  }

  /** The water flags of every pixel of `grid`, computed on first use and kept. */
  bits(grid: RasterInfo): GridBits {
    if (!this.cached || this.cached.grid !== grid) {
      const rows = 64;
      const bits = GridBits.build(grid.width * grid.length, rows * grid.width, (start, count) =>
        this.flags(grid, start / grid.width, count / grid.width),
      );
      this.cached = { grid, bits };
    }
    return this.cached.bits;
  }

  close(): void {
    this.reader.close();
  }
}
