import { ProductReadError } from '../../errors.js';
import { SUPPORTED_FILTERS } from '../chunks/decode.js';
import { directSource, locateData } from '../chunks/chunk-index.js';
import { textRows } from '../conventions.js';
import { readableWithoutHdf5, readDatasetBytes } from '../hdf5/data.js';
import { elementsOf } from '../hdf5/dataspace.js';
import type { Hdf5Type } from '../hdf5/datatype.js';
import { Hdf5Unsupported } from '../hdf5/errors.js';
import { Hdf5File } from '../hdf5/file.js';
import { decodeValues } from '../hdf5/values.js';
import { bytesPerElement, isNumericDType, walkVariables, type NcGroup, type NcVariable, type NumericArray } from '../model.js';
import type { ProductReader, SourceDescriptor } from '../reader.js';
import { viewAs } from '../typed-arrays.js';
import { readNativeStructure, type NativeDataset } from './structure.js';

/** Variables up to this size that cannot be streamed from the file (see sourceFor) are read whole and inlined. */
const INLINE_LIMIT_BYTES = 16 * 1024 * 1024;

/** Numbers as JavaScript reads them: whole bytes, IEEE floats; this reader byte-swaps big-endian ones. */
function isPlainNumber(type: Hdf5Type): boolean {
  return (type.class === 'integer' || type.class === 'float') && type.plain && [1, 2, 4, 8].includes(type.size) && (type.class === 'integer' || type.size >= 4);
}

function littleEndian(type: Hdf5Type): boolean {
  return type.class !== 'integer' && type.class !== 'float' ? true : type.littleEndian;
}

/** Element bytes reversed in place (big-endian to little-endian). */
function swapped(bytes: Buffer, size: number): Buffer {
  const out = Buffer.from(bytes);
  if (size === 2) out.swap16();
  else if (size === 4) out.swap32();
  else if (size === 8) out.swap64();
  return out;
}

/**
 * A netCDF4/HDF5 product read with the project's own HDF5 parser: structure, small variables and text without
 * starting HDF5, and chunk tables so that every thread inflates chunks itself. `open` refuses (with
 * {@link Hdf5Unsupported}) a product with anything it cannot read, so the caller can use HDF5 instead.
 */
export class NativeProductReader implements ProductReader {
  private readonly variables: ReadonlyMap<string, NcVariable>;

  private constructor(
    readonly path: string,
    readonly root: NcGroup,
    private readonly file: Hdf5File,
    private readonly datasets: ReadonlyMap<string, NativeDataset>,
  ) {
    this.variables = new Map([...walkVariables(root)].map((v) => [v.path, v]));
  }

  static open(path: string): NativeProductReader {
    const file = Hdf5File.open(path);
    try {
      const { root, datasets } = readNativeStructure(file);
      for (const variable of walkVariables(root)) assertReadable(variable, datasets.get(variable.path));
      return new NativeProductReader(path, root, file, datasets);
    } catch (error) {
      file.close();
      throw error;
    }
  }

  private entry(path: string): { variable: NcVariable; stored: NativeDataset } {
    const variable = this.variables.get(path);
    const stored = this.datasets.get(path);
    if (!variable || !stored) throw new ProductReadError(this.path, 'no such variable', path);
    return { variable, stored };
  }

  /** Every element as little-endian bytes. */
  private bytes(path: string): { variable: NcVariable; bytes: Buffer } {
    const { variable, stored } = this.entry(path);
    try {
      const raw = readDatasetBytes(this.file.bytes, stored.dataset);
      const { type } = stored.dataset;
      return { variable, bytes: littleEndian(type) ? raw : swapped(raw, type.size) };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ProductReadError(this.path, `stored data cannot be read (${reason})`, path, { cause: error });
    }
  }

  readNumeric(path: string): NumericArray {
    const { variable, bytes } = this.bytes(path);
    if (!isNumericDType(variable.dtype)) throw new ProductReadError(this.path, `is ${variable.dtype}, not numeric`, path);
    return viewAs(variable.dtype, bytes);
  }

  readText(path: string): string[] {
    const { variable, stored } = this.entry(path);
    const { bytes } = this.bytes(path);
    const { type, space } = stored.dataset;
    let strings: string[];
    try {
      strings = decodeValues(type, bytes, elementsOf(space), this.file.heap, this.file.offsetSize).map(String);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ProductReadError(this.path, `text cannot be read (${reason})`, path, { cause: error });
    }
    return textRows(strings, variable.dtype, variable.shape);
  }

  sourceFor(path: string): SourceDescriptor {
    const { variable, stored } = this.entry(path);
    const { dtype, shape } = variable;
    if (!isNumericDType(dtype)) throw new ProductReadError(this.path, `is ${dtype}, not numeric`, path);
    const { dataset } = stored;
    const streamable = littleEndian(dataset.type) && shape.length > 0 && dataset.filters.every((f) => SUPPORTED_FILTERS.has(f.id));
    if (streamable) {
      const direct = directSource(this.path, { ...variable, dtype }, locateData(this.file.bytes, dataset.layout, shape, bytesPerElement(dtype)));
      if (direct) return direct;
    }
    if (elementsOf(dataset.space) * bytesPerElement(dtype) <= INLINE_LIMIT_BYTES) {
      const { bytes } = this.bytes(path);
      return { kind: 'inline', file: this.path, variable: path, dtype, shape, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) };
    }
    // Big, and neither streamable nor worth holding in memory (e.g. big-endian layers): HDF5 reads it region by region.
    return { kind: 'h5wasm', file: this.path, variable: path, dtype, shape, chunks: variable.storage.chunks };
  }

  close(): void {
    this.file.close();
  }
}

/** Every numeric or text variable must be readable here; anything else (compounds, enums) is never read. */
function assertReadable(variable: NcVariable, stored: NativeDataset | undefined): void {
  if (!stored) throw new Hdf5Unsupported(`${variable.path} has no dataset`);
  const { type } = stored.dataset;
  const numeric = isNumericDType(variable.dtype);
  const text = variable.dtype === 'string' || variable.dtype === 'char';
  if (!numeric && !text) return;
  if (numeric && !isPlainNumber(type)) throw new Hdf5Unsupported(`${variable.path}: numbers of an unusual bit layout`);
  if (!readableWithoutHdf5(stored.dataset)) throw new Hdf5Unsupported(`${variable.path}: storage this reader does not implement`);
}
