import type { File as H5File } from 'h5wasm/node';
import { bytesPerElement, type NumericDType } from '../model.js';
import {
  elementCount,
  rowMajorStrides,
  type H5wasmSourceDescriptor,
  type RegionSource,
  type RegionView,
} from '../reader.js';
import { viewAs } from '../typed-arrays.js';
import { stridedView } from '../views.js';
import { translateHdf5Error } from './errors.js';
import { acquireFile, releaseFile } from './files.js';
import { loadH5wasm, type H5Module } from './module.js';

/**
 * Reads regions through HDF5 itself (any layout, any filter h5wasm has). Used where the chunk reader declines:
 * contiguous or compact storage, big-endian data, unusual chunk indexes or filters. One wasm buffer is reused for
 * every read; the data is copied out because the next wasm allocation may move the heap.
 */
export class H5wasmRegionSource implements RegionSource {
  readonly dtype: NumericDType;
  readonly shape: readonly number[];
  private pointer = 0;
  private capacity = 0;

  private constructor(
    private readonly descriptor: H5wasmSourceDescriptor,
    private readonly module: H5Module,
    private readonly file: H5File,
  ) {
    this.dtype = descriptor.dtype;
    this.shape = descriptor.shape;
  }

  static async open(descriptor: H5wasmSourceDescriptor): Promise<H5wasmRegionSource> {
    const { module } = await loadH5wasm();
    const file = await acquireFile(descriptor.file);
    return new H5wasmRegionSource(descriptor, module, file);
  }

  read(start: readonly number[], count: readonly number[]): RegionView {
    const bytes = elementCount(count) * bytesPerElement(this.dtype);
    if (bytes > this.capacity) {
      if (this.pointer) this.module._free(this.pointer);
      this.pointer = this.module._malloc(bytes);
      this.capacity = bytes;
    }
    try {
      if (this.shape.length === 0) {
        this.module.get_dataset_data(
          this.file.file_id,
          this.descriptor.variable,
          null,
          null,
          null,
          BigInt(this.pointer),
        );
      } else {
        this.module.get_dataset_data(
          this.file.file_id,
          this.descriptor.variable,
          count.map(BigInt),
          start.map(BigInt),
          count.map(() => 1n),
          BigInt(this.pointer),
        );
      }
    } catch (error) {
      throw translateHdf5Error(error, this.descriptor.file, this.descriptor.variable);
    }
    const copy = this.module.HEAPU8.slice(this.pointer, this.pointer + bytes);
    return stridedView(viewAs(this.dtype, copy), 0, rowMajorStrides(count), count);
  }

  close(): void {
    if (this.pointer) this.module._free(this.pointer);
    this.pointer = 0;
    releaseFile(this.descriptor.file);
  }
}
