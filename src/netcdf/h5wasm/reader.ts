import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import type { Dataset, File as H5File } from 'h5wasm/node';
import { ProductReadError } from '../../errors.js';
import { textRows } from '../conventions.js';
import { SUPPORTED_FILTERS } from '../chunks/decode.js';
import { directSource, locateData } from '../chunks/chunk-index.js';
import { Hdf5FormatError } from '../hdf5/errors.js';
import { findVariable, isNumericDType, type NcGroup, type NcVariable, type NumericArray } from '../model.js';
import type { ProductReader, SourceDescriptor } from '../reader.js';
import { typedArrayFor } from '../typed-arrays.js';
import { checkVariables } from '../structure-checks.js';
import { isH5wasmFailure, translateHdf5Error } from './errors.js';
import { discardH5wasm } from './module.js';
import { acquireFile, releaseFile } from './files.js';
import { objectAddress, listingAudit } from './listing-audit.js';
import { isDataset, RefusedObjectError, ListingError, readStructure, type DatasetPlace } from './structure.js';
import { plainText } from '../../text.js';

export interface OpenOptions {
  readonly followExternalLinks?: boolean;
}

/** A netCDF4/HDF5 product on disk, read with h5wasm (Node build: real paths, nothing loaded whole). */
export class H5wasmProductReader implements ProductReader {
  private constructor(
    readonly path: string,
    readonly root: NcGroup,
    private readonly file: H5File,
    /**
     * Where the structure walk met each dataset of this file, so a region source needs no HDF5 call. A variable
     * missing here lives in another file (an external link followed), which only HDF5 reads.
     */
    private readonly places: ReadonlyMap<string, DatasetPlace>,
  ) {}

  /**
   * `followExternalLinks`: external links to files in the product's own directory (a relative name without `..`,
   * the file there) are followed; others are always refused.
   */
  static async open(path: string, options: OpenOptions = {}): Promise<H5wasmProductReader> {
    try {
      return await H5wasmProductReader.openOnce(path, options);
    } catch (error) {
      // h5wasm reports some failed HDF5 calls without HDF5's error stack: then HDF5's state may be left over from
      // an earlier damaged file. A fresh HDF5 instance reads the file once more and has the last word.
      if (!isH5wasmFailure(error)) throw error;
      discardH5wasm();
      return H5wasmProductReader.openOnce(path, options);
    }
  }

  private static async openOnce(path: string, options: OpenOptions): Promise<H5wasmProductReader> {
    const file = await acquireFile(path);
    let listing: ReturnType<typeof listingAudit> | null = null;
    try {
      listing = listingAudit(path);
      const beside = (target: string): boolean =>
        options.followExternalLinks === true &&
        !isAbsolute(target) &&
        !normalize(target).split(/[\\/]/).includes('..') &&
        existsSync(join(dirname(path), target));
      const structure = readStructure(file, '/', {
        audit: listing.audit,
        address: objectAddress,
        followExternal: beside,
      });
      checkVariables(path, structure.root, statSync(path).size);
      return new H5wasmProductReader(path, structure.root, file, structure.places);
    } catch (error) {
      releaseFile(path);
      if (error instanceof ListingError)
        throw new ProductReadError(path, `damaged: ${error.message}`, error.path, { cause: error });
      if (error instanceof RefusedObjectError)
        throw new ProductReadError(path, error.message, error.path, { cause: error });
      throw translateHdf5Error(error, path);
    } finally {
      listing?.close();
    }
  }

  private variable(path: string): NcVariable {
    const variable = findVariable(this.root, path);
    if (!variable) throw new ProductReadError(this.path, 'no such variable', path);
    return variable;
  }

  private dataset(path: string): Dataset {
    const entity = this.file.get(path);
    if (!isDataset(entity)) throw new ProductReadError(this.path, 'no such variable', path);
    return entity;
  }

  readNumeric(path: string): NumericArray {
    const variable = this.variable(path);
    if (!isNumericDType(variable.dtype))
      throw new ProductReadError(this.path, `is ${variable.dtype}, not numeric`, path);
    let raw: unknown;
    try {
      raw = this.dataset(path).value;
    } catch (error) {
      throw translateHdf5Error(error, this.path, path);
    }
    if (ArrayBuffer.isView(raw)) return raw as NumericArray;
    const out = typedArrayFor(variable.dtype, 1);
    if (out instanceof BigInt64Array || out instanceof BigUint64Array) out[0] = BigInt(raw as bigint | number);
    else out[0] = Number(raw);
    return out;
  }

  readText(path: string): string[] {
    const variable = this.variable(path);
    let raw: unknown;
    try {
      raw = this.dataset(path).value;
    } catch (error) {
      throw translateHdf5Error(error, this.path, path);
    }
    return textRows(Array.isArray(raw) ? raw.map(String) : [plainText(raw)], variable.dtype, variable.shape);
  }

  sourceFor(path: string): SourceDescriptor {
    const variable = this.variable(path);
    const { dtype, shape } = variable;
    if (!isNumericDType(dtype)) throw new ProductReadError(this.path, `is ${dtype}, not numeric`, path);
    const place = this.places.get(path);
    if (place?.littleEndian && variable.storage.filters.every((f) => SUPPORTED_FILTERS.has(f.id))) {
      const address = place.address;
      let located = null;
      try {
        located = locateData(this.path, address, { ...variable, dtype });
      } catch (error) {
        // The direct reader's checks of the chunk index are stricter than HDF5's (a B-tree whose unused keys are
        // out of order, a sibling address nothing follows): HDF5 itself reads such a variable, and its values or
        // its refusal are the answer, as with any layout the direct reader leaves to it. Measured on the damaged-file
        // set (test/netcdf/damaged-files.test.ts): of 62 files h5py reads in full that were refused, 31 are now
        // compared, every value equal to h5py's.
        if (!(error instanceof Hdf5FormatError)) throw error;
      }
      const direct = located && directSource(this.path, { ...variable, dtype }, located);
      if (direct) return direct;
    }
    return { kind: 'h5wasm', file: this.path, variable: path, dtype, shape, chunks: variable.storage.chunks };
  }

  close(): void {
    releaseFile(this.path);
  }
}
