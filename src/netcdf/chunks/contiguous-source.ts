import { ProductReadError } from '../../errors.js';
import { bytesPerElement, type NumericDType } from '../model.js';
import {
  elementCount,
  rowMajorStrides,
  type ContiguousSourceDescriptor,
  type RegionSource,
  type RegionView,
} from '../reader.js';
import { viewAs } from '../typed-arrays.js';
import { stridedView } from '../views.js';
import { Hdf5FormatError } from '../hdf5/errors.js';
import { FileBytes } from '../hdf5/file-bytes.js';

/**
 * Reads regions of an uncompressed contiguous variable (what xarray appends to GUNW products) with positioned
 * reads: one read per run of consecutive elements in the file.
 */
export class ContiguousRegionSource implements RegionSource {
  readonly dtype: NumericDType;
  readonly shape: readonly number[];
  private readonly file: FileBytes;
  private readonly strides: number[];
  private readonly size: number;

  constructor(private readonly descriptor: ContiguousSourceDescriptor) {
    this.dtype = descriptor.dtype;
    this.shape = descriptor.shape;
    this.file = new FileBytes(descriptor.file);
    this.strides = rowMajorStrides(descriptor.shape);
    this.size = bytesPerElement(descriptor.dtype);
  }

  read(start: readonly number[], count: readonly number[]): RegionView {
    const rank = count.length;
    const bytes = new Uint8Array(elementCount(count) * this.size);
    // Trailing dimensions read whole make one run in the file; find how many elements each run holds.
    let run = 1;
    let d = rank - 1;
    for (; d >= 0; d--) {
      run *= count[d]!;
      if (start[d] !== 0 || count[d] !== this.shape[d]) break;
    }
    const outer = count.slice(0, Math.max(0, d));
    const index = outer.map(() => 0);
    const runs = outer.reduce((n, c) => n * c, 1);
    try {
      for (let r = 0; r < runs; r++) {
        let element = 0;
        for (let k = 0; k < rank; k++) element += ((k < outer.length ? index[k]! : 0) + start[k]!) * this.strides[k]!;
        const buffer = Buffer.from(bytes.buffer, r * run * this.size, run * this.size);
        this.file.readAt(this.descriptor.position + element * this.size, run * this.size, buffer);
        for (let k = outer.length - 1; k >= 0; k--) {
          if (++index[k]! < outer[k]!) break;
          index[k] = 0;
        }
      }
    } catch (error) {
      if (!(error instanceof Hdf5FormatError)) throw error;
      throw new ProductReadError(this.descriptor.file, `damaged: ${error.message}`, this.descriptor.variable, {
        cause: error,
      });
    }
    return stridedView(viewAs(this.dtype, bytes), 0, rowMajorStrides(count), count);
  }

  close(): void {
    this.file.close();
  }
}
