/** Reads a deflate stream held in memory as a chunk source reads stored bytes: `length` from `offset` into `into`. */
export const readerOf =
  (stream: Uint8Array) =>
  (offset: number, length: number, into: Uint8Array): Uint8Array => {
    into.set(stream.subarray(offset, offset + length));
    return into;
  };

/**
 * Streams no inflate path may accept for `original.length` bytes, each with the size it is said to inflate to:
 * damaged in the middle, followed by more bytes, cut before its adler32 trailer, and the right stream said to
 * inflate to 10 bytes less or more.
 */
export function badStreams(packed: Uint8Array, expected: number): [Uint8Array, number][] {
  const corrupt = Buffer.from(packed);
  corrupt[Math.floor(corrupt.length / 2)]! ^= 0xff;
  return [
    [corrupt, expected],
    [Buffer.concat([packed, Buffer.from([1, 2, 3])]), expected],
    [packed.subarray(0, packed.length - 4), expected],
    [packed, expected - 10],
    [packed, expected + 10],
  ];
}
