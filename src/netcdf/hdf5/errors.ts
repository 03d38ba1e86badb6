/**
 * Errors of the project's own HDF5 parser. Neither reaches a user: the product reader falls back to HDF5 itself
 * (h5wasm), which reads what this parser does not implement and words real damage as one line.
 */

/** The file uses an HDF5 feature this parser does not implement (soft links, shared messages, ...). */
export class Hdf5Unsupported extends Error {
  override name = 'Hdf5Unsupported';
}

/** The bytes are not what the HDF5 format says they must be here. */
export class Hdf5FormatError extends Error {
  override name = 'Hdf5FormatError';
}
