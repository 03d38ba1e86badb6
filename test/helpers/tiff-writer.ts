import { deflateSync } from 'node:zlib';

/**
 * Writes single-band float32 or uint8 GeoTIFFs for tests, the way cloud-optimised GeoTIFFs are laid out: tiled, deflate
 * or LZW or none, predictor 1, 2 or 3, with the GeoTIFF tags for a geographic grid (pixel-is-point or -area) and a
 * GDAL no-data value. Little-endian classic TIFF.
 */

export interface TiffOptions {
  readonly width: number;
  readonly height: number;
  readonly values: Float32Array;
  /** Centre (point) or corner (area) of pixel (0, 0) and the spacing, degrees. */
  readonly x0: number;
  readonly y0: number;
  readonly dx: number;
  readonly dy: number;
  readonly point?: boolean;
  readonly tile?: number;
  readonly compression?: 'none' | 'deflate' | 'lzw';
  readonly predictor?: 1 | 2 | 3;
  readonly noData?: number;
  /** Sample type: float32 (default) or uint8 (like the water occurrence tiles); predictors apply to float32 only. */
  readonly sampleType?: 'float32' | 'uint8';
}

/** TIFF LZW (MSB first, early change), for writing test files. */
export function lzwEncode(input: Uint8Array): Uint8Array {
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  let width = 9;
  const put = (code: number): void => {
    buffer = (buffer << width) | code;
    bits += width;
    while (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    buffer &= (1 << bits) - 1;
  };
  let table = new Map<string, number>();
  let next = 258;
  const reset = (): void => {
    table = new Map();
    next = 258;
    width = 9;
  };
  put(256);
  let current = '';
  for (const byte of input) {
    const extended = current + String.fromCharCode(byte);
    if (extended.length === 1 || table.has(extended)) {
      current = extended;
      continue;
    }
    put(current.length === 1 ? current.charCodeAt(0) : table.get(current)!);
    table.set(extended, next++);
    // The decoder adds each entry one code later, so it widens its codes at the same place when this one reaches
    // 2^width.
    if (next >= 1 << width && width < 12) width++;
    if (next >= 4094) {
      put(256);
      reset();
    }
    current = String.fromCharCode(byte);
  }
  if (current) put(current.length === 1 ? current.charCodeAt(0) : table.get(current)!);
  // The decoder sees the table grow once more before End Of Information.
  if (next + 1 >= 1 << width) width++;
  put(257);
  if (bits > 0) out.push((buffer << (8 - bits)) & 0xff);
  return Uint8Array.from(out);
}

function encodeBlock(values: Float32Array, width: number, height: number, predictor: number): Uint8Array {
  const bytes = new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  if (predictor === 1) return bytes;
  if (predictor === 2) {
    const out = new Float32Array(values);
    for (let r = 0; r < height; r++)
      for (let c = width - 1; c > 0; c--) out[r * width + c] = out[r * width + c]! - out[r * width + c - 1]!;
    return new Uint8Array(out.buffer);
  }
  // Floating-point predictor: big-endian byte planes per row, then byte differencing.
  const out = new Uint8Array(bytes.length);
  for (let r = 0; r < height; r++) {
    const row = new Uint8Array(width * 4);
    for (let c = 0; c < width; c++)
      for (let b = 0; b < 4; b++) row[b * width + c] = bytes[(r * width + c) * 4 + (3 - b)]!;
    for (let i = row.length - 1; i > 0; i--) row[i] = (row[i]! - row[i - 1]!) & 0xff;
    out.set(row, r * width * 4);
  }
  return out;
}

export function writeGeoTiff(options: TiffOptions): Buffer {
  const tile = options.tile ?? 64;
  const across = Math.ceil(options.width / tile);
  const down = Math.ceil(options.height / tile);
  const blocks: Uint8Array[] = [];
  for (let br = 0; br < down; br++) {
    for (let bc = 0; bc < across; bc++) {
      const block = new Float32Array(tile * tile).fill(options.noData ?? 0);
      for (let r = 0; r < tile && br * tile + r < options.height; r++) {
        for (let c = 0; c < tile && bc * tile + c < options.width; c++)
          block[r * tile + c] = options.values[(br * tile + r) * options.width + bc * tile + c]!;
      }
      const raw =
        options.sampleType === 'uint8'
          ? Uint8Array.from(block)
          : encodeBlock(block, tile, tile, options.predictor ?? 1);
      blocks.push(
        options.compression === 'deflate' ? deflateSync(raw) : options.compression === 'lzw' ? lzwEncode(raw) : raw,
      );
    }
  }
  const compression = options.compression === 'deflate' ? 8 : options.compression === 'lzw' ? 5 : 1;
  const point = options.point ?? true;
  const noData = options.noData === undefined ? null : Buffer.from(`${options.noData}\0`, 'latin1');
  // Entries: [tag, type, count, value or bytes stored elsewhere].
  const extra: Buffer[] = [];
  let extraAt = 0;
  const entries: [number, number, number, number | Buffer][] = [
    [256, 3, 1, options.width],
    [257, 3, 1, options.height],
    [258, 3, 1, options.sampleType === 'uint8' ? 8 : 32],
    [259, 3, 1, compression],
    [277, 3, 1, 1],
    [317, 3, 1, options.predictor ?? 1],
    [322, 3, 1, tile],
    [323, 3, 1, tile],
    [324, 4, blocks.length, Buffer.alloc(0)],
    [325, 4, blocks.length, Buffer.from(Uint32Array.from(blocks.map((b) => b.length)).buffer)],
    [339, 3, 1, options.sampleType === 'uint8' ? 1 : 3],
    [33550, 12, 3, Buffer.from(Float64Array.from([options.dx, -options.dy, 0]).buffer)],
    [33922, 12, 6, Buffer.from(Float64Array.from([0, 0, 0, options.x0, options.y0, 0]).buffer)],
    [
      34735,
      3,
      16,
      Buffer.from(Uint16Array.from([1, 1, 0, 3, 1024, 0, 1, 2, 1025, 0, 1, point ? 2 : 1, 2054, 0, 1, 9102]).buffer),
    ],
    ...(noData ? ([[42113, 2, noData.length, noData]] as [number, number, number, Buffer][]) : []),
  ];
  const headerSize = 8;
  const ifdSize = 2 + entries.length * 12 + 4;
  const extraStart = headerSize + ifdSize;
  const offsetsOfExtra = new Map<number, number>();
  for (const [tag, , count, value] of entries) {
    if (Buffer.isBuffer(value) && (value.length > 4 || tag === 324)) {
      offsetsOfExtra.set(tag, extraStart + extraAt);
      const size = tag === 324 ? count * 4 : value.length;
      extra.push(tag === 324 ? Buffer.alloc(size) : value);
      extraAt += size;
    }
  }
  const dataStart = extraStart + extraAt;
  const blockOffsets: number[] = [];
  let at = dataStart;
  for (const b of blocks) {
    blockOffsets.push(at);
    at += b.length;
  }
  const header = Buffer.alloc(headerSize);
  header.write('II', 0, 'latin1');
  header.writeUInt16LE(42, 2);
  header.writeUInt32LE(headerSize, 4);
  const ifd = Buffer.alloc(ifdSize);
  ifd.writeUInt16LE(entries.length, 0);
  entries.forEach(([tag, type, count, value], i) => {
    const p = 2 + i * 12;
    ifd.writeUInt16LE(tag, p);
    ifd.writeUInt16LE(type, p + 2);
    ifd.writeUInt32LE(count, p + 4);
    if (typeof value === 'number') {
      if (type === 3) ifd.writeUInt16LE(value, p + 8);
      else ifd.writeUInt32LE(value, p + 8);
    } else if (offsetsOfExtra.has(tag)) ifd.writeUInt32LE(offsetsOfExtra.get(tag)!, p + 8);
    else value.copy(ifd, p + 8);
  });
  const tileOffsets = extra[[...offsetsOfExtra.keys()].indexOf(324)]!;
  blockOffsets.forEach((o, i) => tileOffsets.writeUInt32LE(o, i * 4));
  return Buffer.concat([header, ifd, ...extra, ...blocks.map((b) => Buffer.from(b))]);
}
