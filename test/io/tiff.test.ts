import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileSource } from '../../src/io/byte-source.js';
import { GeoTiff } from '../../src/io/tiff.js';
import { tempDir } from '../helpers/tmp.js';
import { hasPythonModules, PYTHON } from '../helpers/tools.js';
import { writeGeoTiff } from '../helpers/tiff-writer.js';

const W = 150;
const H = 70;
const values = Float32Array.from({ length: W * H }, (_, i) => 100 * Math.sin(i / 37) + (i % W) * 0.5 - 12.25);

const opened: GeoTiff[] = [];

/** Every file a test opens is closed after it (a handle left to the garbage collector is a leak Node warns about). */
afterEach(async () => {
  await Promise.all(opened.splice(0).map((tiff) => tiff.close()));
});

async function open(buffer: Buffer, name = 't.tif'): Promise<GeoTiff> {
  const path = join(tempDir(), name);
  writeFileSync(path, buffer);
  const tiff = await GeoTiff.open(await fileSource(path));
  opened.push(tiff);
  return tiff;
}

/** The test grid as a 1″ GeoTIFF in 64 × 64 tiles, so windows cross tile edges. */
function tiled(compression: 'none' | 'deflate' | 'lzw', predictor: 1 | 3): Buffer {
  return writeGeoTiff({
    width: W,
    height: H,
    values,
    x0: -71,
    y0: 48,
    dx: 1 / 3600,
    dy: -1 / 3600,
    compression,
    predictor,
    tile: 64,
  });
}

describe('GeoTIFF reader', () => {
  it.each([
    ['none', 1],
    ['deflate', 1],
    ['deflate', 3],
    ['lzw', 1],
    ['lzw', 3],
  ] as const)('reads %s with predictor %s exactly, across tile edges', async (compression, predictor) => {
    const tiff = await open(tiled(compression, predictor));
    expect(Array.from(await tiff.readWindow(0, H, 0, W))).toEqual(Array.from(values));
    const window = await tiff.readWindow(60, 5, 120, 30);
    expect(window[0]).toBe(values[60 * W + 120]);
    expect(window[4 * 30 + 29]).toBe(values[64 * W + 149]);
    await tiff.close();
  });

  it('places pixel centres by the raster type: point tie points are centres, area ones corners', async () => {
    const point = await open(
      writeGeoTiff({ width: W, height: H, values, x0: -71, y0: 48, dx: 0.01, dy: -0.01, point: true }),
    );
    expect([point.info.x0, point.info.y0, point.info.dx, point.info.dy]).toEqual([-71, 48, 0.01, -0.01]);
    const area = await open(
      writeGeoTiff({ width: W, height: H, values, x0: -71, y0: 48, dx: 0.01, dy: -0.01, point: false, noData: -32767 }),
    );
    expect(area.info.x0).toBeCloseTo(-70.995, 12);
    expect(area.info.y0).toBeCloseTo(47.995, 12);
    expect(area.info.noData).toBe(-32767);
  });

  it('reads each block from the source once, however many row windows cross it', async () => {
    const file = tiled('deflate', 3);
    let read = 0;
    const tiff = await GeoTiff.open({
      name: 'counted.tif',
      read: (offset, length) => {
        const bytes = file.subarray(offset, Math.min(file.length, offset + length));
        read += bytes.length;
        return Promise.resolve(Buffer.from(bytes));
      },
      close: () => Promise.resolve(),
    });
    const header = read;
    for (let row = 0; row < H; row += 5) {
      const rows = Math.min(5, H - row);
      expect(Array.from(await tiff.readWindow(row, rows, 0, W))).toEqual(
        Array.from(values.subarray(row * W, (row + rows) * W)),
      );
    }
    // Every block once (the file less its header and directory, which were read on opening).
    expect(read - header).toBeLessThanOrEqual(file.length);
    await tiff.close();
  });

  it('refuses a file that is not a TIFF, or not a GeoTIFF, by name', async () => {
    await expect(open(Buffer.from('not a tiff at all'), 'x.tif')).rejects.toThrow(/x\.tif is not a TIFF file/);
  });

  it.runIf(hasPythonModules('PIL', 'numpy'))('reads LZW and deflate TIFFs written by libtiff (Pillow)', async () => {
    const dir = tempDir();
    for (const compression of ['tiff_lzw', 'tiff_adobe_deflate']) {
      const path = join(dir, `${compression}.tif`);
      const script = `
import sys, numpy as np
from PIL import Image, TiffImagePlugin
a = (100*np.sin(np.arange(${W * H})/37) + (np.arange(${W * H}) % ${W})*0.5 - 12.25).astype('float32').reshape(${H}, ${W})
info = TiffImagePlugin.ImageFileDirectory_v2()
info[33550] = (0.01, 0.01, 0.0); info.tagtype[33550] = 12
info[33922] = (0.0, 0.0, 0.0, -71.0, 48.0, 0.0); info.tagtype[33922] = 12
Image.fromarray(a, mode='F').save(sys.argv[1], compression='${compression}', tiffinfo=info)`;
      const made = spawnSync(PYTHON, ['-c', script, path], { encoding: 'utf8' });
      expect(made.stderr).toBe('');
      const tiff = await GeoTiff.open(await fileSource(path));
      const read = await tiff.readWindow(0, H, 0, W);
      expect(Array.from(read).every((v, i) => Math.abs(v - values[i]!) < 1e-3)).toBe(true);
      await tiff.close();
    }
  });
});
