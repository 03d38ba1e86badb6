import { readUnsigned } from './file-bytes.js';
import { Hdf5FormatError } from './errors.js';

export interface Dataspace {
  readonly kind: 'scalar' | 'simple' | 'null';
  readonly dims: readonly number[];
  /** Maximum extents (Infinity for unlimited), or null when the message leaves them equal to `dims`. */
  readonly maxDims: readonly number[] | null;
}

/** Number of elements: 1 for a scalar, 0 for a null dataspace. */
export function elementsOf(space: Dataspace): number {
  if (space.kind === 'null') return 0;
  return space.dims.reduce((n, d) => n * d, 1);
}

/** Decode a dataspace message (versions 1 and 2). */
export function parseDataspace(data: Buffer, lengthSize: number): Dataspace {
  const version = data[0];
  const rank = data[1] ?? 0;
  const flags = data[2] ?? 0;
  let p: number;
  let kind: Dataspace['kind'];
  if (version === 1) {
    p = 8;
    kind = rank === 0 ? 'scalar' : 'simple';
  } else if (version === 2) {
    p = 4;
    const type = data[3];
    kind = type === 0 ? 'scalar' : type === 1 ? 'simple' : 'null';
  } else {
    throw new Hdf5FormatError(`dataspace message version ${version} does not exist`);
  }
  if (data.length < p + rank * lengthSize * (flags & 0x01 ? 2 : 1)) throw new Hdf5FormatError('dataspace message is cut short');
  const dims: number[] = [];
  for (let d = 0; d < rank; d++, p += lengthSize) dims.push(readUnsigned(data, p, lengthSize));
  let maxDims: number[] | null = null;
  if (flags & 0x01) {
    maxDims = [];
    for (let d = 0; d < rank; d++, p += lengthSize) maxDims.push(readUnsigned(data, p, lengthSize));
  }
  return { kind, dims, maxDims };
}
