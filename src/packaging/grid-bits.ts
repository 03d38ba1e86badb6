/**
 * One bit per pixel of the data grid (row-major), for the per-pixel conditions every layer of a product shares:
 * outside the swath, over water. Computed once and kept (9 MB for a 30 m frame's 72 million pixels) instead of
 * re-reading the rasters they come from for every layer — that re-reading was a tenth of packaging's time.
 */
export class GridBits {
  /** The flags, eight pixels a byte, lowest bit first (read-only: for loops that test a pixel without a call). */
  readonly bits: Uint8Array;

  private constructor(readonly pixels: number) {
    this.bits = new Uint8Array(Math.ceil(pixels / 8));
  }

  /** Built block by block: `flags(start, count)` gives 0/1 per pixel for `count` pixels from pixel `start`. */
  static build(pixels: number, block: number, flags: (start: number, count: number) => Uint8Array): GridBits {
    if (block % 8 !== 0) throw new RangeError('GridBits blocks are whole bytes');
    const grid = new GridBits(pixels);
    for (let start = 0; start < pixels; start += block) {
      const count = Math.min(block, pixels - start);
      const values = flags(start, count);
      // `start` is a multiple of 8, so every byte of bits is made from eight flags at once.
      for (let i = 0; i < count; i += 8) {
        let byte = 0;
        for (let k = 0; k < 8 && i + k < count; k++) if (values[i + k] !== 0) byte |= 1 << k;
        grid.bits[(start + i) >> 3] = byte;
      }
    }
    return grid;
  }

  has(pixel: number): boolean {
    return (this.bits[pixel >> 3]! & (1 << (pixel & 7))) !== 0;
  }

  /** Set `values[i]` to `value` where pixel `start + i` is flagged. */
  fill(values: Float32Array, start: number, value: number): void {
    const end = start + values.length;
    for (let p = start; p < end;) {
      // Whole bytes without a flag (most of a frame) are skipped eight pixels at a time.
      if ((p & 7) === 0 && p + 8 <= end && this.bits[p >> 3] === 0) {
        p += 8;
        continue;
      }
      if (this.has(p)) values[p - start] = value;
      p++;
    }
  }
}
