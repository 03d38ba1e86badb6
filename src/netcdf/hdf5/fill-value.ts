import { Hdf5FormatError } from './errors.js';

/**
 * The fill value bytes of a fill value message (type 0x05, versions 1-3) or of the old fill value message
 * (type 0x04); null when the message defines none, in which case HDF5 fills with zero bytes.
 */
export function parseFillValue(data: Buffer, old: boolean): Buffer | null {
  if (old) return valueAt(data, 0);
  const version = data[0];
  if (version === 1 || version === 2) {
    const defined = data[3] === 1;
    if (!defined) return null;
    return valueAt(data, 4);
  }
  if (version === 3) {
    const flags = data[1] ?? 0;
    if ((flags & 0x20) === 0) return null;
    return valueAt(data, 2);
  }
  throw new Hdf5FormatError(`fill value message version ${version} does not exist`);
}

function valueAt(data: Buffer, at: number): Buffer | null {
  if (data.length < at + 4) return null;
  const size = data.readUInt32LE(at);
  if (size === 0) return null;
  if (data.length < at + 4 + size) throw new Hdf5FormatError('fill value message is cut short');
  return data.subarray(at + 4, at + 4 + size);
}
