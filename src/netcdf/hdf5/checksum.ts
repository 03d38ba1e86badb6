/**
 * HDF5's metadata checksum: Bob Jenkins' lookup3 `hashlittle` with an initial value of 0 (HDF5's
 * H5_checksum_lookup3), over the bytes of a structure before its 4-byte checksum. HDF5 1.10 refuses a B-tree or
 * heap whose checksum does not match, so this reader refuses it too rather than read what HDF5 would not.
 *
 * Why not a library: the one npm port, jenkins-hash 1.0.1, dates from 2015, is CommonJS and ships a compiled
 * `a.out` in its package; the function is these few lines, and every checksum HDF5 wrote into the test products is
 * the reference they are checked against (test/netcdf/checksum.test.ts).
 */

const rotate = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

/** The lookup3 checksum of `bytes`, as an unsigned 32-bit number. */
export function metadataChecksum(bytes: Uint8Array): number {
  let length = bytes.length;
  let a = (0xdeadbeef + length) | 0;
  let b = a;
  let c = a;
  let k = 0;
  const word = (at: number): number =>
    bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24) | 0;
  while (length > 12) {
    a = (a + word(k)) | 0;
    b = (b + word(k + 4)) | 0;
    c = (c + word(k + 8)) | 0;
    a = (a - c) | 0;
    a ^= rotate(c, 4);
    c = (c + b) | 0;
    b = (b - a) | 0;
    b ^= rotate(a, 6);
    a = (a + c) | 0;
    c = (c - b) | 0;
    c ^= rotate(b, 8);
    b = (b + a) | 0;
    a = (a - c) | 0;
    a ^= rotate(c, 16);
    c = (c + b) | 0;
    b = (b - a) | 0;
    b ^= rotate(a, 19);
    a = (a + c) | 0;
    c = (c - b) | 0;
    c ^= rotate(b, 4);
    b = (b + a) | 0;
    length -= 12;
    k += 12;
  }
  if (length === 0) return c >>> 0;
  // The last 1..12 bytes, each added at its place in a, b or c (lookup3's fall-through switch).
  const tail = [0, 0, 0];
  for (let i = 0; i < length; i++) tail[i >> 2]! += bytes[k + i]! << (8 * (i & 3));
  a = (a + tail[0]!) | 0;
  b = (b + tail[1]!) | 0;
  c = (c + tail[2]!) | 0;
  c ^= b;
  c = (c - rotate(b, 14)) | 0;
  a ^= c;
  a = (a - rotate(c, 11)) | 0;
  b ^= a;
  b = (b - rotate(a, 25)) | 0;
  c ^= b;
  c = (c - rotate(b, 16)) | 0;
  a ^= c;
  a = (a - rotate(c, 4)) | 0;
  b ^= a;
  b = (b - rotate(a, 14)) | 0;
  c ^= b;
  c = (c - rotate(b, 24)) | 0;
  return c >>> 0;
}

/** Whether the 4 bytes after `bytes[0, end)` are the checksum of those bytes. */
export function checksumMatches(bytes: Buffer, end: number): boolean {
  return end + 4 <= bytes.length && bytes.readUInt32LE(end) === metadataChecksum(bytes.subarray(0, end));
}
