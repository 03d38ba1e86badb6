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

/** lookup3's mix(a, b, c), as steps on the state [a, b, c]: h[x] -= h[y]; h[x] ^= rot(h[y], k); h[y] += h[z]. */
const MIX = [
  [0, 2, 1, 4],
  [1, 0, 2, 6],
  [2, 1, 0, 8],
  [0, 2, 1, 16],
  [1, 0, 2, 19],
  [2, 1, 0, 4],
] as const;

/** lookup3's final(a, b, c), as steps on the state: h[x] ^= h[y]; h[x] -= rot(h[y], k). */
const FINAL = [
  [2, 1, 14],
  [0, 2, 11],
  [1, 0, 25],
  [2, 1, 16],
  [0, 2, 4],
  [1, 0, 14],
  [2, 1, 24],
] as const;

/** The lookup3 checksum of `bytes`, as an unsigned 32-bit number. */
export function metadataChecksum(bytes: Uint8Array): number {
  // Int32Array arithmetic wraps at 32 bits, as the C code's uint32_t does.
  const h = new Int32Array(3).fill(0xdeadbeef + bytes.length);
  const word = (at: number): number =>
    bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
  let k = 0;
  for (; bytes.length - k > 12; k += 12) {
    for (let i = 0; i < 3; i++) h[i]! += word(k + 4 * i);
    for (const [x, y, z, r] of MIX) {
      h[x]! -= h[y]!;
      h[x]! ^= rotate(h[y]!, r);
      h[y]! += h[z]!;
    }
  }
  if (k === bytes.length) return h[2]! >>> 0;
  // The last 1..12 bytes, each added at its place in a, b or c (lookup3's fall-through switch).
  for (let i = 0; k + i < bytes.length; i++) h[i >> 2]! += bytes[k + i]! << (8 * (i & 3));
  for (const [x, y, r] of FINAL) {
    h[x]! ^= h[y]!;
    h[x]! -= rotate(h[y]!, r);
  }
  return h[2]! >>> 0;
}

/** Whether the 4 bytes after `bytes[0, end)` are the checksum of those bytes. */
export function checksumMatches(bytes: Buffer, end: number): boolean {
  return end + 4 <= bytes.length && bytes.readUInt32LE(end) === metadataChecksum(bytes.subarray(0, end));
}
