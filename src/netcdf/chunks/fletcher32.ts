/**
 * HDF5's Fletcher-32 checksum (filter 3): 16-bit words read big-endian, sums folded every 360 words, an odd last
 * byte taken as the high byte of a word. No npm package implements HDF5's variant (its word order and odd-length
 * rule differ from the common one), so it is written here and checked against chunks h5py and netCDF-C wrote.
 */
export function fletcher32(data: Uint8Array): number {
  let sum1 = 0;
  let sum2 = 0;
  let words = data.length >>> 1;
  let i = 0;
  while (words > 0) {
    const block = Math.min(words, 360);
    words -= block;
    for (let k = 0; k < block; k++, i += 2) {
      sum1 += (data[i]! << 8) | data[i + 1]!;
      sum2 += sum1;
    }
    sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
  }
  if (data.length & 1) {
    sum1 += data[i]! << 8;
    sum2 += sum1;
    sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
  }
  sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
  sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
  return ((sum2 << 16) | sum1) >>> 0;
}

/**
 * Whether a chunk's last four bytes hold the checksum of the bytes before them. Like HDF5, the checksum is accepted
 * as stored little-endian, or with its bytes in the order HDF5 1.6 wrote them.
 */
export function fletcher32Matches(chunk: Uint8Array): boolean {
  if (chunk.length < 4) return false;
  const body = chunk.subarray(0, chunk.length - 4);
  const at = chunk.length - 4;
  const stored = (chunk[at]! | (chunk[at + 1]! << 8) | (chunk[at + 2]! << 16) | (chunk[at + 3]! << 24)) >>> 0;
  const sum = fletcher32(body);
  if (stored === sum) return true;
  // HDF5 1.6 swapped the bytes within each 16-bit half.
  const reversed =
    (((sum >>> 8) & 0xff) << 24) | ((sum & 0xff) << 16) | (((sum >>> 24) & 0xff) << 8) | ((sum >>> 16) & 0xff);
  return stored === reversed >>> 0;
}
