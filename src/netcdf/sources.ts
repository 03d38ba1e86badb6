import { ChunkRegionSource } from './chunks/chunk-source.js';
import { ContiguousRegionSource } from './chunks/contiguous-source.js';
import { MemoryRegionSource } from './memory/reader.js';
import { rowMajorStrides, type InlineSourceDescriptor, type RegionSource, type SourceDescriptor } from './reader.js';
import { viewAs } from './typed-arrays.js';
import { stridedView } from './views.js';

/**
 * Open a region source from its descriptor, in whichever thread runs the comparison. h5wasm is only loaded when a
 * variable needs it, so workers that read chunks directly start quickly.
 */
export async function openSource(descriptor: SourceDescriptor): Promise<RegionSource> {
  switch (descriptor.kind) {
    case 'chunks':
      return new ChunkRegionSource(descriptor);
    case 'contiguous':
      return new ContiguousRegionSource(descriptor);
    case 'inline':
      return inlineSource(descriptor);
    case 'h5wasm': {
      const { H5wasmRegionSource } = await import('./h5wasm/region-source.js');
      return H5wasmRegionSource.open(descriptor);
    }
    case 'memory':
      return new MemoryRegionSource(descriptor);
  }
}

function inlineSource(descriptor: InlineSourceDescriptor): RegionSource {
  const data = viewAs(descriptor.dtype, descriptor.bytes);
  const strides = rowMajorStrides(descriptor.shape);
  return {
    dtype: descriptor.dtype,
    shape: descriptor.shape,
    read(start, count) {
      let offset = 0;
      for (let d = 0; d < start.length; d++) offset += start[d]! * strides[d]!;
      return stridedView(data, offset, strides, count);
    },
    close() {},
  };
}
