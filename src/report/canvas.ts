import { GLYPH_ADVANCE, GLYPH_HEIGHT, GLYPH_WIDTH, glyph } from './font.js';
import { encodePng } from './png.js';

export type Rgba = readonly [number, number, number, number];

/** An RGBA raster with the few drawing operations the difference maps need. */
export class Canvas {
  readonly pixels: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgba = [255, 255, 255, 255],
  ) {
    this.pixels = new Uint8Array(width * height * 4);
    this.fillRect(0, 0, width, height, background);
  }

  set(x: number, y: number, color: Rgba): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    this.pixels.set(color, (y * this.width + x) * 4);
  }

  fillRect(x: number, y: number, w: number, h: number, color: Rgba): void {
    for (let j = Math.max(0, y); j < Math.min(this.height, y + h); j++) {
      for (let i = Math.max(0, x); i < Math.min(this.width, x + w); i++) this.pixels.set(color, (j * this.width + i) * 4);
    }
  }

  strokeRect(x: number, y: number, w: number, h: number, color: Rgba): void {
    this.fillRect(x, y, w, 1, color);
    this.fillRect(x, y + h - 1, w, 1, color);
    this.fillRect(x, y, 1, h, color);
    this.fillRect(x + w - 1, y, 1, h, color);
  }

  /** Draw text with its top-left corner at (x, y), each font pixel `scale` canvas pixels wide. */
  text(x: number, y: number, value: string, scale: number, color: Rgba): void {
    [...value].forEach((char, n) => {
      const rows = glyph(char);
      for (let r = 0; r < GLYPH_HEIGHT; r++) {
        for (let c = 0; c < GLYPH_WIDTH; c++) {
          if ((rows[r]! >> (GLYPH_WIDTH - 1 - c)) & 1) this.fillRect(x + (n * GLYPH_ADVANCE + c) * scale, y + r * scale, scale, scale, color);
        }
      }
    });
  }

  static textWidth(value: string, scale: number): number {
    return [...value].length * GLYPH_ADVANCE * scale;
  }

  toPng(): Buffer {
    return encodePng(this.width, this.height, this.pixels);
  }
}
