import { readFileSync } from 'node:fs';
import { readRasterInfo, RasterReader, type RasterInfo } from '../../isce/raster.js';
import { imageXml } from '../../isce/write-xml.js';
import { writeFileAtomic } from '../../io/atomic-write.js';

/**
 * The ISCE2 rasters the ionosphere steps read and write whole: they are at 40 × 10 looks or coarser (a frame's
 * sub-band unwrapped phase is about 1,700 × 1,200 pixels), so whole arrays are small.
 */

export interface TwoBand {
  readonly width: number;
  readonly length: number;
  /** Band 1: the amplitude. */
  readonly first: Float32Array;
  /** Band 2: phase, ionosphere or coherence. */
  readonly second: Float32Array;
}

function describe(path: string, expect: { bands: number; dataType: RasterInfo['dataType'] }): RasterInfo {
  const info = readRasterInfo(path);
  if (info.bands !== expect.bands || info.dataType !== expect.dataType)
    throw new Error(
      `${path}: expected ${expect.bands} band(s) of ${expect.dataType}, its .xml says ${info.bands} of ${info.dataType}`,
    );
  return info;
}

export function readTwoBand(path: string): TwoBand {
  const info = describe(path, { bands: 2, dataType: 'FLOAT' });
  const reader = new RasterReader(info);
  const n = info.width * info.length;
  return {
    width: info.width,
    length: info.length,
    first: reader.readRows(1, 0, info.length, new Float32Array(n)),
    second: reader.readRows(2, 0, info.length, new Float32Array(n)),
  };
}

export function readBytes(path: string, width: number, length: number): Uint8Array {
  const info = describe(path, { bands: 1, dataType: 'BYTE' });
  if (info.width !== width || info.length !== length)
    throw new Error(`${path} is ${info.width} × ${info.length}, not the ${width} × ${length} of the phase it labels`);
  const bytes = readFileSync(path);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, width * length);
}

export function rasterXml(
  path: string,
  width: number,
  length: number,
  bands: number,
  dataType: RasterInfo['dataType'],
): string {
  return imageXml({
    file: path.split('/').at(-1)!,
    width,
    length,
    bands,
    dataType,
    scheme: 'BIL',
    x0: 0,
    dx: 1,
    y0: 0,
    dy: 1,
  });
}

/** Band-interleaved by line, as ISCE2 writes amplitude/value pairs; the binary is renamed into place before its .xml. */
export function writeTwoBand(path: string, raster: TwoBand): void {
  const { width, length } = raster;
  const out = new Float32Array(2 * width * length);
  for (let r = 0; r < length; r++) {
    out.set(raster.first.subarray(r * width, (r + 1) * width), 2 * r * width);
    out.set(raster.second.subarray(r * width, (r + 1) * width), (2 * r + 1) * width);
  }
  writeFileAtomic(path, out);
  writeFileAtomic(`${path}.xml`, rasterXml(path, width, length, 2, 'FLOAT'));
}

export function writeOneBand(path: string, values: Float32Array | Uint8Array, width: number, length: number): void {
  writeFileAtomic(path, values);
  writeFileAtomic(`${path}.xml`, rasterXml(path, width, length, 1, values instanceof Uint8Array ? 'BYTE' : 'FLOAT'));
}
