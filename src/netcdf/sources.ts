import { ChunkRegionSource } from './chunks/chunk-source.js';
import { ContiguousRegionSource } from './chunks/contiguous-source.js';
import { MemoryRegionSource } from './memory/reader.js';
import type { RegionSource, SourceDescriptor } from './reader.js';

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
    case 'h5wasm': {
      const { H5wasmRegionSource } = await import('./h5wasm/region-source.js');
      return H5wasmRegionSource.open(descriptor);
    }
    case 'memory':
      return new MemoryRegionSource(descriptor);
  }
}

