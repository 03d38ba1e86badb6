import { ProductReadError } from '../../errors.js';

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
    frames.push({ origin: match[1] ?? '', message: (match[2] ?? '').trim(), major: match[3] ?? '', minor: match[4] ?? '' });
  }
  return frames;
}

/** Known causes, most specific first: the innermost HDF5 frame usually names the real problem. */
const KNOWN_CAUSES: readonly [RegExp, (d: Hdf5Diagnostic) => string][] = [
  [/file signature not found/, () => 'not an HDF5/netCDF4 file (no HDF5 signature)'],
  [/truncated file/, (d) => `file is truncated (${d.message.replace(/^truncated file: /, '')})`],
  [/required filter .* is not registered|can't find plugin|filter not available/i, (d) => `needs an HDF5 compression filter that is not available (${d.message})`],
  [/checksum|inflate|data pipeline|filter returned failure/i, () => 'stored data is corrupt (a compression filter or checksum failed)'],
  [/addr overflow|address of object past end|Read failed|unable to read/i, () => 'file is damaged or truncated (a read went past the end of the data)'],
];

/**
 * h5wasm throws an Error whose message is the whole HDF5 diagnostic stack. Turn it into one line that names the
 * file (and variable) with the real cause, keeping the original as `cause`.
 */
export function translateHdf5Error(error: unknown, file: string, variable?: string): ProductReadError {
  if (error instanceof ProductReadError) return error;
  const text = error instanceof Error ? error.message : String(error);
  const frames = parseDiagnostics(text);
  const innermost = frames.at(-1);
  for (const [pattern, describe] of KNOWN_CAUSES) {
    const hit = [...frames].reverse().find((f) => pattern.test(f.message) || pattern.test(f.minor));
    if (hit) return new ProductReadError(file, describe(hit), variable, { cause: error });
  }
  if (innermost) {
    return new ProductReadError(file, `HDF5 error: ${innermost.message} (${innermost.minor})`, variable, { cause: error });
  }
  const firstLine = text.split('\n')[0] ?? text;
  return new ProductReadError(file, firstLine, variable, { cause: error });
}
