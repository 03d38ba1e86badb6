import { promisify } from 'node:util';
import { inflate } from 'node:zlib';
import type { ByteSource } from './byte-source.js';

/**
 * A GeoTIFF reader for single-band rasters as cloud-optimised GeoTIFFs store them (Copernicus DEM tiles, geoid
 * grids, water occurrence tiles): classic or BigTIFF, tiled or stripped, uncompressed, deflate or LZW, with the
 * horizontal (2) or floating-point (3) predictor. Only the first image (full resolution) is read; tiles are
 * fetched and decoded on demand and the last few kept.
 */

const inflateAsync = promisify(inflate);

export interface GeoTiffInfo {
  readonly width: number;
  readonly height: number;
  /** Longitude and latitude of the centre of pixel (0, 0), and the pixel spacing (dy negative for north-up). */
  readonly x0: number;
  readonly y0: number;
  readonly dx: number;
  readonly dy: number;
  readonly noData: number | null;
  readonly sampleFormat: 'float' | 'uint' | 'int';
  readonly bitsPerSample: number;
}

const TAG = {
  width: 256,
  height: 257,
  bitsPerSample: 258,
  compression: 259,
  stripOffsets: 273,
  samplesPerPixel: 277,
  rowsPerStrip: 278,
  stripByteCounts: 279,
  predictor: 317,
  tileWidth: 322,
  tileLength: 323,
  tileOffsets: 324,
  tileByteCounts: 325,
  sampleFormat: 339,
  pixelScale: 33550,
  tiepoint: 33922,
  geoKeys: 34735,
  noData: 42113,
} as const;

const TYPE_SIZE: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  16: 8,
  17: 8,
  18: 8,
};
const RASTER_PIXEL_IS_POINT = 2;

/** TIFF's LZW: codes from 9 to 12 bits, most significant bit first, with Clear (256) and EndOfInformation (257). */
export function lzwDecode(input: Uint8Array, expected: number): Uint8Array {
  const out = new Uint8Array(expected);
  let outAt = 0;
  const prefixes = new Int32Array(4096);
  const suffixes = new Uint8Array(4096);
  const lengths = new Uint16Array(4096);
  const firsts = new Uint8Array(4096);
  for (let i = 0; i < 256; i++) {
    suffixes[i] = i;
    lengths[i] = 1;
    firsts[i] = i;
    prefixes[i] = -1;
  }
  let next = 258;
  let width = 9;
  let bitPos = 0;
  let previous = -1;
  const readCode = (): number => {
    let code = 0;
    for (let i = 0; i < width; i++) {
      const byte = input[bitPos >> 3] ?? 0;
      code = (code << 1) | ((byte >> (7 - (bitPos & 7))) & 1);
      bitPos++;
    }
    return code;
  };
  const emit = (code: number): void => {
    const length = lengths[code]!;
    let at = outAt + length - 1;
    for (let c = code; c >= 0 && at >= outAt; c = prefixes[c]!, at--) if (at < out.length) out[at] = suffixes[c]!;
    outAt += length;
  };
  while (bitPos + width <= input.length * 8 && outAt < expected) {
    const code = readCode();
    if (code === 257) break;
    if (code === 256) {
      next = 258;
      width = 9;
      previous = -1;
      continue;
    }
    if (previous === -1) {
      emit(code);
      previous = code;
      continue;
    }
    const known = code < next;
    const first = known ? firsts[code]! : firsts[previous]!;
    if (next < 4096) {
      prefixes[next] = previous;
      suffixes[next] = first;
      lengths[next] = lengths[previous]! + 1;
      firsts[next] = firsts[previous]!;
      next++;
    }
    emit(code);
    previous = code;
    // "Early change": the code width grows one code before the table fills it.
    if (next + 1 >= 1 << width && width < 12) width++;
  }
  return out;
}

/** Undo the floating-point predictor of one row: byte differencing, then byte planes back into samples. */
export function undoFloatPredictor(
  row: Uint8Array,
  width: number,
  bytesPerSample: number,
  littleEndianOut: Uint8Array,
): void {
  for (let i = 1; i < row.length; i++) row[i] = (row[i]! + row[i - 1]!) & 0xff;
  for (let s = 0; s < width; s++) {
    for (let b = 0; b < bytesPerSample; b++)
      littleEndianOut[s * bytesPerSample + b] = row[(bytesPerSample - 1 - b) * width + s]!;
  }
}

interface Entry {
  readonly type: number;
  readonly count: number;
  readonly valueAt: number;
}

export class GeoTiff {
  private readonly cache = new Map<number, Promise<Float32Array>>();

  private constructor(
    private readonly source: ByteSource,
    readonly info: GeoTiffInfo,
    private readonly layout: {
      readonly blockWidth: number;
      readonly blockHeight: number;
      readonly offsets: readonly number[];
      readonly counts: readonly number[];
      readonly compression: number;
      readonly predictor: number;
      readonly littleEndian: boolean;
    },
  ) {}

  /** Read the header and first directory; the source is closed when that fails (the caller never gets it). */
  static async open(source: ByteSource): Promise<GeoTiff> {
    try {
      return await GeoTiff.readDirectory(source);
    } catch (error) {
      await source.close();
      throw error;
    }
  }

  private static async readDirectory(source: ByteSource): Promise<GeoTiff> {
    const head = await source.read(0, 16);
    const little = head.toString('latin1', 0, 2) === 'II';
    if (!little && head.toString('latin1', 0, 2) !== 'MM') throw new Error(`${source.name} is not a TIFF file`);
    const u16 = (b: Buffer, at: number): number => (little ? b.readUInt16LE(at) : b.readUInt16BE(at));
    const u32 = (b: Buffer, at: number): number => (little ? b.readUInt32LE(at) : b.readUInt32BE(at));
    const u64 = (b: Buffer, at: number): number => Number(little ? b.readBigUInt64LE(at) : b.readBigUInt64BE(at));
    const magic = u16(head, 2);
    const big = magic === 43;
    if (magic !== 42 && !big) throw new Error(`${source.name} is not a TIFF file (magic ${magic})`);
    const ifdAt = big ? u64(head, 8) : u32(head, 4);
    const countSize = big ? 8 : 2;
    const entrySize = big ? 20 : 12;
    const countBuffer = await source.read(ifdAt, countSize);
    const entries = big ? u64(countBuffer, 0) : u16(countBuffer, 0);
    const ifd = await source.read(ifdAt + countSize, entries * entrySize);
    const tags = new Map<number, Entry>();
    for (let i = 0; i < entries; i++) {
      const at = i * entrySize;
      const count = big ? u64(ifd, at + 4) : u32(ifd, at + 4);
      tags.set(u16(ifd, at), { type: u16(ifd, at + 2), count, valueAt: at + (big ? 12 : 8) });
    }
    const values = async (tag: number): Promise<number[]> => {
      const entry = tags.get(tag);
      if (!entry) return [];
      const size = (TYPE_SIZE[entry.type] ?? 1) * entry.count;
      const inline = size <= (big ? 8 : 4);
      const data = inline
        ? ifd.subarray(entry.valueAt, entry.valueAt + size)
        : await source.read(big ? u64(ifd, entry.valueAt) : u32(ifd, entry.valueAt), size);
      const out: number[] = [];
      for (let k = 0; k < entry.count; k++) {
        const at = k * (TYPE_SIZE[entry.type] ?? 1);
        switch (entry.type) {
          case 3:
            out.push(u16(data, at));
            break;
          case 4:
            out.push(u32(data, at));
            break;
          case 16:
            out.push(u64(data, at));
            break;
          case 12:
            out.push(little ? data.readDoubleLE(at) : data.readDoubleBE(at));
            break;
          case 11:
            out.push(little ? data.readFloatLE(at) : data.readFloatBE(at));
            break;
          default:
            out.push(data[at]!);
        }
      }
      return out;
    };
    const text = async (tag: number): Promise<string | null> => {
      const entry = tags.get(tag);
      if (!entry) return null;
      const inline = entry.count <= (big ? 8 : 4);
      const data = inline
        ? ifd.subarray(entry.valueAt, entry.valueAt + entry.count)
        : await source.read(big ? u64(ifd, entry.valueAt) : u32(ifd, entry.valueAt), entry.count);
      return data.toString('latin1').replace(/\0+$/, '');
    };
    const one = async (tag: number, fallback?: number): Promise<number> => {
      const v = (await values(tag))[0];
      if (v === undefined) {
        if (fallback === undefined) throw new Error(`${source.name}: TIFF tag ${tag} is missing`);
        return fallback;
      }
      return v;
    };
    const width = await one(TAG.width);
    const height = await one(TAG.height);
    const bitsPerSample = await one(TAG.bitsPerSample, 1);
    if ((await one(TAG.samplesPerPixel, 1)) !== 1) throw new Error(`${source.name}: only single-band TIFFs are read`);
    const format = await one(TAG.sampleFormat, 1);
    const tiled = tags.has(TAG.tileWidth);
    const blockWidth = tiled ? await one(TAG.tileWidth) : width;
    const blockHeight = tiled ? await one(TAG.tileLength) : await one(TAG.rowsPerStrip, height);
    const offsets = await values(tiled ? TAG.tileOffsets : TAG.stripOffsets);
    const counts = await values(tiled ? TAG.tileByteCounts : TAG.stripByteCounts);
    const scale = await values(TAG.pixelScale);
    const tie = await values(TAG.tiepoint);
    if (scale.length < 2 || tie.length < 6)
      throw new Error(`${source.name}: not a GeoTIFF (no pixel scale or tie point)`);
    const keys = await values(TAG.geoKeys);
    let pointConvention = false;
    for (let k = 4; k + 3 < keys.length; k += 4)
      if (keys[k] === 1025) pointConvention = keys[k + 3] === RASTER_PIXEL_IS_POINT;
    // The tie point is the centre of its pixel for PixelIsPoint rasters and its corner for PixelIsArea ones.
    const half = pointConvention ? 0 : 0.5;
    const dx = scale[0]!;
    const dy = -scale[1]!;
    const noDataText = await text(TAG.noData);
    const info: GeoTiffInfo = {
      width,
      height,
      x0: tie[3]! + (half - tie[0]!) * dx,
      y0: tie[4]! + (half - tie[1]!) * dy,
      dx,
      dy,
      noData:
        noDataText !== null && noDataText.trim() !== '' && Number.isFinite(Number(noDataText))
          ? Number(noDataText)
          : null,
      sampleFormat: format === 3 ? 'float' : format === 2 ? 'int' : 'uint',
      bitsPerSample,
    };
    const compression = await one(TAG.compression, 1);
    if (![1, 5, 8, 32946].includes(compression))
      throw new Error(`${source.name}: TIFF compression ${compression} is not supported (none, LZW or deflate)`);
    return new GeoTiff(source, info, {
      blockWidth,
      blockHeight,
      offsets,
      counts,
      compression,
      predictor: await one(TAG.predictor, 1),
      littleEndian: little,
    });
  }

  private async block(index: number): Promise<Float32Array> {
    let cached = this.cache.get(index);
    if (!cached) {
      cached = this.decode(index);
      this.cache.set(index, cached);
      // Keep two rows of blocks across the image, so row-by-row windows over wide tiles decode each block once.
      const keep = Math.max(16, 2 * Math.ceil(this.info.width / this.layout.blockWidth));
      if (this.cache.size > keep) this.cache.delete(this.cache.keys().next().value!);
    }
    return cached;
  }

  private async decode(index: number): Promise<Float32Array> {
    const { blockWidth, blockHeight, compression, predictor, littleEndian } = this.layout;
    const bytes = this.info.bitsPerSample / 8;
    const expected = blockWidth * blockHeight * bytes;
    const out = new Float32Array(blockWidth * blockHeight);
    const count = this.layout.counts[index] ?? 0;
    if (count === 0) return out.fill(this.info.noData ?? 0);
    const raw = await this.source.read(this.layout.offsets[index]!, count);
    if (raw.length < count)
      throw new Error(
        `${this.source.name}: block ${index} is cut short (${raw.length} of ${count} bytes): the file is truncated`,
      );
    let data: Uint8Array;
    try {
      data = compression === 1 ? raw : compression === 5 ? lzwDecode(raw, expected) : await inflateAsync(raw);
    } catch (error) {
      throw new Error(
        `${this.source.name}: block ${index} cannot be decoded (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    if (data.length < expected) {
      const padded = new Uint8Array(expected);
      padded.set(data);
      data = padded;
    }
    const view = new DataView(data.buffer, data.byteOffset, expected);
    if (predictor === 3) {
      const row = new Uint8Array(blockWidth * bytes);
      const le = new Uint8Array(blockWidth * bytes);
      const leView = new DataView(le.buffer);
      for (let r = 0; r < blockHeight; r++) {
        row.set(data.subarray(r * blockWidth * bytes, (r + 1) * blockWidth * bytes));
        undoFloatPredictor(row, blockWidth, bytes, le);
        for (let c = 0; c < blockWidth; c++)
          out[r * blockWidth + c] = bytes === 4 ? leView.getFloat32(c * 4, true) : leView.getFloat64(c * 8, true);
      }
      return out;
    }
    const get = (i: number): number => {
      const at = i * bytes;
      if (this.info.sampleFormat === 'float')
        return bytes === 4 ? view.getFloat32(at, littleEndian) : view.getFloat64(at, littleEndian);
      if (bytes === 1) return this.info.sampleFormat === 'int' ? view.getInt8(at) : view.getUint8(at);
      if (bytes === 2)
        return this.info.sampleFormat === 'int' ? view.getInt16(at, littleEndian) : view.getUint16(at, littleEndian);
      return this.info.sampleFormat === 'int' ? view.getInt32(at, littleEndian) : view.getUint32(at, littleEndian);
    };
    for (let i = 0; i < out.length; i++) out[i] = get(i);
    if (predictor === 2 && this.info.sampleFormat === 'float')
      throw new Error(`${this.source.name}: predictor 2 applies to integer samples, not floats`);
    if (predictor === 2)
      for (let r = 0; r < blockHeight; r++)
        for (let c = 1; c < blockWidth; c++)
          out[r * blockWidth + c] = out[r * blockWidth + c]! + out[r * blockWidth + c - 1]!;
    return out;
  }

  /** Rows [row0, row0 + rows) × columns [col0, col0 + cols) as float32, row-major (no-data values kept as stored). */
  async readWindow(row0: number, rows: number, col0: number, cols: number): Promise<Float32Array> {
    const { blockWidth, blockHeight } = this.layout;
    const across = Math.ceil(this.info.width / blockWidth);
    const out = new Float32Array(rows * cols);
    for (let br = Math.floor(row0 / blockHeight); br * blockHeight < row0 + rows; br++) {
      for (let bc = Math.floor(col0 / blockWidth); bc * blockWidth < col0 + cols; bc++) {
        const block = await this.block(br * across + bc);
        const r0 = Math.max(row0, br * blockHeight);
        const r1 = Math.min(row0 + rows, (br + 1) * blockHeight, this.info.height);
        const c0 = Math.max(col0, bc * blockWidth);
        const c1 = Math.min(col0 + cols, (bc + 1) * blockWidth, this.info.width);
        for (let r = r0; r < r1; r++) {
          const from = (r - br * blockHeight) * blockWidth + (c0 - bc * blockWidth);
          out.set(block.subarray(from, from + (c1 - c0)), (r - row0) * cols + (c0 - col0));
        }
      }
    }
    return out;
  }

  close(): Promise<void> {
    return this.source.close();
  }
}
