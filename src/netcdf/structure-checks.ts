import { ProductReadError } from '../errors.js';
import { FILTER_DEFLATE, FILTER_SHUFFLE } from './chunks/decode.js';
import { bytesPerElement, isNumericDType, walkVariables, type NcGroup, type NcVariable } from './model.js';

/**
 * zlib cannot compress better than about 1032:1, so a file of N bytes holds at most ~1032·N bytes of written
 * values. A variable that declares more is damage (or values never written, which a product does not have), and
 * refusing it before anything is read keeps memory and time bounded by the file, whatever its header claims.
 */
const MAX_EXPANSION = 1100;
/** Small variables are never refused, so a product of a few bytes with a fill-valued scalar still opens. */
const ALWAYS_ALLOWED_BYTES = 1 << 20;

export function maxDeclaredBytes(fileSize: number): number {
  return fileSize * MAX_EXPANSION + ALWAYS_ALLOWED_BYTES;
}

/**
 * Each written chunk costs its index at least 16 bytes of the file, so a chunk grid much larger than the file is
 * mostly chunks never written, which HDF5 reads one by one as fill values (minutes, and gigabytes, for a damaged
 * dimension over tiny chunks). Products write every chunk; more than this is refused.
 */
export function maxChunks(fileSize: number): number {
  return Math.max(1 << 16, Math.floor(fileSize / 16));
}

/**
 * What a filter's parameters must be for HDF5 to decode its chunks as written. They are set from the dataset's
 * type when it is made, so other values only occur in damaged files, where one HDF5 release refuses to read and
 * another hands back bytes it never wrote.
 */
function filterProblem(variable: NcVariable): string | null {
  for (const filter of variable.storage.filters) {
    if (filter.id === FILTER_DEFLATE && !(filter.parameters.length === 1 && filter.parameters[0]! <= 9))
      return `its deflate filter has parameters [${filter.parameters.join(', ')}]`;
    if (
      filter.id === FILTER_SHUFFLE &&
      isNumericDType(variable.dtype) &&
      filter.parameters[0] !== bytesPerElement(variable.dtype)
    ) {
      return `its shuffle filter is set for ${filter.parameters[0]}-byte elements, its type has ${bytesPerElement(variable.dtype)}`;
    }
  }
  return null;
}

/**
 * Refuse, naming the variable, a product whose variables declare more values than the file can hold or carry
 * filter parameters no HDF5 library wrote.
 */
export function checkVariables(path: string, root: NcGroup, fileSize: number): void {
  const limit = maxDeclaredBytes(fileSize);
  for (const variable of walkVariables(root)) {
    const elementBytes = isNumericDType(variable.dtype) ? bytesPerElement(variable.dtype) : 1;
    const declared = variable.shape.reduce((n, s) => n * s, elementBytes);
    if (declared > limit) {
      throw new ProductReadError(
        path,
        `damaged: declares ${declared.toExponential(2)} bytes of values, more than a file of ${fileSize} bytes can hold`,
        variable.path,
      );
    }
    const chunks = variable.storage.chunks;
    const grid = chunks
      ? variable.shape.reduce((n, size, d) => n * Math.ceil(size / Math.max(1, chunks[d] ?? 1)), 1)
      : 0;
    if (grid > maxChunks(fileSize)) {
      throw new ProductReadError(
        path,
        `damaged: declares ${grid.toExponential(2)} chunks, more than a file of ${fileSize} bytes can index`,
        variable.path,
      );
    }
    const problem = filterProblem(variable);
    if (problem) throw new ProductReadError(path, `damaged: ${problem}`, variable.path);
  }
}
