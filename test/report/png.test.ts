import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodePng } from '../../src/report/png.js';
import { tempDir } from '../helpers/tmp.js';
import { hasPythonModules, PYTHON } from '../helpers/tools.js';

/**
 * The PNG encoder read back by a decoder that is not this project's: Pillow (libpng's rules, CRCs checked) must see
 * the same size, mode and every RGBA byte, for odd sizes and every byte value.
 */
const DECODE = `
import sys
from PIL import Image
image = Image.open(sys.argv[1])
image.load()
sys.stdout.write(f"{image.format} {image.mode} {image.size[0]} {image.size[1]}\\n")
sys.stdout.flush()
sys.stdout.buffer.write(image.tobytes())
`;

describe.skipIf(!hasPythonModules('PIL'))('the PNG encoder', () => {
  it.each([
    [1, 1],
    [3, 7],
    [257, 2],
    [640, 480],
  ])('writes a %i × %i image Pillow decodes to the same bytes', (width, height) => {
    const rgba = new Uint8Array(width * height * 4);
    for (let i = 0; i < rgba.length; i++) rgba[i] = (i * 37 + (i >> 8)) & 0xff;
    const file = join(tempDir('gunw-png-'), 'image.png');
    writeFileSync(file, encodePng(width, height, rgba));
    const decoded = spawnSync(PYTHON, ['-c', DECODE, file], { maxBuffer: 64 * 1024 * 1024 });
    expect(decoded.status, decoded.stderr.toString()).toBe(0);
    const newline = decoded.stdout.indexOf(10);
    expect(decoded.stdout.subarray(0, newline).toString()).toBe(`PNG RGBA ${width} ${height}`);
    expect(Buffer.compare(decoded.stdout.subarray(newline + 1), Buffer.from(rgba))).toBe(0);
  });

  it('refuses pixels that do not fill the image', () => {
    expect(() => encodePng(2, 2, new Uint8Array(15))).toThrow('expected 16 RGBA bytes, got 15');
  });
});
