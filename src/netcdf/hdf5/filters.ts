import { Hdf5FormatError } from './errors.js';

export interface PipelineFilter {
  readonly id: number;
  /** The name stored with the filter, or HDF5's own name for its predefined filters. */
  readonly name: string;
  readonly parameters: readonly number[];
}

/** What HDF5 calls its predefined filters when the file stores no name for them. */
const PREDEFINED_NAMES: Readonly<Record<number, string>> = { 1: 'deflate', 2: 'shuffle', 3: 'fletcher32', 4: 'szip', 5: 'nbit', 6: 'scaleoffset' };

function nameAt(data: Buffer, at: number, length: number): string {
  const raw = data.subarray(at, at + length);
  const end = raw.indexOf(0);
  return raw.toString('latin1', 0, end < 0 ? raw.length : end);
}

/** Decode a filter pipeline message (versions 1 and 2); filters come in the order they were applied on write. */
export function parseFilterPipeline(data: Buffer): PipelineFilter[] {
  const version = data[0];
  const count = data[1] ?? 0;
  if (version !== 1 && version !== 2) throw new Hdf5FormatError(`filter pipeline message version ${version} does not exist`);
  let p = version === 1 ? 8 : 2;
  const filters: PipelineFilter[] = [];
  for (let f = 0; f < count; f++) {
    if (p + 2 > data.length) throw new Hdf5FormatError('filter pipeline message is cut short');
    const id = data.readUInt16LE(p);
    let nameLength = 0;
    p += 2;
    if (version === 1 || id >= 256) {
      nameLength = data.readUInt16LE(p);
      p += 2;
    }
    p += 2; // flags (optional or mandatory)
    const valueCount = data.readUInt16LE(p);
    p += 2;
    const stored = nameLength > 0 ? nameAt(data, p, nameLength) : '';
    // Version 1 pads names to a multiple of 8 bytes.
    p += version === 1 ? Math.ceil(nameLength / 8) * 8 : nameLength;
    const parameters: number[] = [];
    for (let v = 0; v < valueCount; v++, p += 4) parameters.push(data.readUInt32LE(p));
    if (version === 1 && valueCount % 2 === 1) p += 4;
    filters.push({ id, name: stored || (PREDEFINED_NAMES[id] ?? ''), parameters });
  }
  return filters;
}
