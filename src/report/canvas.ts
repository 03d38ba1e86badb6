import { encodePng } from './png.js';
import { ascent, measureText, textCoverage } from './typeface.js';

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
      for (let i = Math.max(0, x); i < Math.min(this.width, x + w); i++)
        this.pixels.set(color, (j * this.width + i) * 4);
    }
  }

  strokeRect(x: number, y: number, w: number, h: number, color: Rgba): void {
    this.fillRect(x, y, w, 1, color);
    this.fillRect(x, y + h - 1, w, 1, color);
    this.fillRect(x, y, 1, h, color);
    this.fillRect(x + w - 1, y, 1, h, color);
  }

  /** Text in the bundled typeface, `size` px, top of the line at y; anti-aliased over what is already drawn. */
  drawText(x: number, y: number, value: string, size: number, color: Rgba): void {
    const box = { x0: Math.floor(x), y0: Math.floor(y), w: measureText(value, size) + 2, h: Math.ceil(size * 1.3) };
    const coverage = textCoverage(value, x, y + ascent(size), size, box);
    for (let j = 0; j < box.h; j++) {
      for (let i = 0; i < box.w; i++) {
        const a = Math.min(1, coverage[j * box.w + i]!);
        const px = box.x0 + i;
        const py = box.y0 + j;
        if (a === 0 || px < 0 || py < 0 || px >= this.width || py >= this.height) continue;
        const at = (py * this.width + px) * 4;
        for (let k = 0; k < 3; k++) this.pixels[at + k] = Math.round(this.pixels[at + k]! * (1 - a) + color[k]! * a);
      }
    }
  }

  toPng(): Buffer {
    return encodePng(this.width, this.height, this.pixels);
  }
}
