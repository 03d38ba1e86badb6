/**
 * Errors of the chunk locator, the small part of HDF5's format this project reads itself to find a dataset's
 * stored chunks (everything else is read by HDF5 through h5wasm). The product reader turns a format error into a
 * one-line refusal naming the file and variable; anything else thrown here is a bug and stays one.
 */

/** The bytes are not what the HDF5 format says they must be here: the file is damaged. */
export class Hdf5FormatError extends Error {
  override name = 'Hdf5FormatError';
}

/**
 * The bytes are sound, but declare more than any product holds (an attribute of hundreds of megabytes): refused
 * before HDF5 reads them into memory.
 */
export class Hdf5LimitError extends Hdf5FormatError {
  override name = 'Hdf5LimitError';
}
