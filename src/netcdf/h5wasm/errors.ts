import { ProductReadError } from '../../errors.js';
import { discardH5wasm, isHdf5Crash } from './module.js';

/** One frame of an HDF5 error stack as h5wasm prints it into the thrown message. */
export interface Hdf5Diagnostic {
  readonly origin: string;
  readonly message: string;
  readonly major: string;
  readonly minor: string;
}

const FRAME = /#\d+: .* in (\S+)\(\): (.*)\n\s+major: (.*)\n\s+minor: (.*)/g;

export function parseDiagnostics(text: string): Hdf5Diagnostic[] {
  const frames: Hdf5Diagnostic[] = [];
  for (const match of text.matchAll(FRAME)) {
    frames.push({
      origin: match[1] ?? '',
      message: (match[2] ?? '').trim(),
      major: match[3] ?? '',
      minor: match[4] ?? '',
    });
  }
  return frames;
}

/** Known causes, most specific first: the innermost HDF5 frame usually names the real problem. */
const KNOWN_CAUSES: readonly [RegExp, (d: Hdf5Diagnostic) => string][] = [
  [/file signature not found/, () => 'not an HDF5/netCDF4 file (no HDF5 signature)'],
  [/truncated file/, (d) => `file is truncated (${d.message.replace(/^truncated file: /, '')})`],
  [
    /required filter .* is not registered|can't find plugin|filter not available/i,
    (d) => `needs an HDF5 compression filter that is not available (${d.message})`,
  ],
  [/metadata checksum/i, () => 'damaged: a checksum of its HDF5 metadata does not match'],
  [
    /checksum|inflate|data pipeline|filter returned failure/i,
    () => 'damaged: stored data is corrupt (a compression filter or checksum failed)',
  ],
  [
    /addr overflow|address of object past end|Read failed|unable to read/i,
    () => 'damaged or truncated: a read went past the end of the data',
  ],
];

/**
 * h5wasm's own report that an HDF5 call failed (an Error such as "error - name not defined!" from its
 * `throw_error`), which comes without HDF5's error stack: HDF5 refused something, or its state is left over from an
 * earlier file.
 */
export class H5wasmFailure extends Error {
  override name = 'H5wasmFailure';
}

/** An error h5wasm raised itself (its `throw_error`), as opposed to one thrown by this program's code. */
function raisedByH5wasm(error: unknown): boolean {
  return error instanceof Error && /\bthrow_error\b/.test(error.stack ?? '');
}

export function isH5wasmFailure(error: unknown): boolean {
  return error instanceof ProductReadError && error.cause instanceof H5wasmFailure;
}

/**
 * h5wasm throws an Error whose message is the whole HDF5 diagnostic stack. Turn it into one line that names the
 * file (and variable) with the real cause, keeping the original as `cause`. Anything else is not HDF5 refusing the
 * file but a failure of this program, and is returned unchanged so that it is reported as one.
 */
export function translateHdf5Error(error: unknown, file: string, variable?: string): Error {
  if (error instanceof ProductReadError) return error;
  if (raisedByH5wasm(error) && parseDiagnostics((error as Error).message).length === 0) {
    return new ProductReadError(
      file,
      `damaged: HDF5 could not read it (h5wasm: ${(error as Error).message})`,
      variable,
      { cause: new H5wasmFailure((error as Error).message) },
    );
  }
  if (isHdf5Crash(error)) {
    discardH5wasm();
    return new ProductReadError(
      file,
      `damaged: HDF5 crashed while reading it (${(error as Error).message})`,
      variable,
      { cause: error },
    );
  }
  const text = error instanceof Error ? error.message : String(error);
  const frames = parseDiagnostics(text);
  const innermost = frames.at(-1);
  if (!innermost) return error instanceof Error ? error : new Error(text);
  for (const [pattern, describe] of KNOWN_CAUSES) {
    const hit = [...frames].reverse().find((f) => pattern.test(f.message) || pattern.test(f.minor));
    if (hit) return new ProductReadError(file, describe(hit), variable, { cause: error });
  }
  return new ProductReadError(file, `HDF5 error: ${innermost.message} (${innermost.minor})`, variable, {
    cause: error,
  });
}
