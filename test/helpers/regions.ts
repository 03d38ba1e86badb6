import { expect } from 'vitest';
import { H5wasmRegionSource } from '../../src/netcdf/h5wasm/region-source.js';
import type { RegionView, SourceDescriptor } from '../../src/netcdf/reader.js';
import { openSource } from '../../src/netcdf/sources.js';

/** Every row of a region view as plain numbers. */
export function rows(view: RegionView): number[][] {
  const out: number[][] = [];
  const row = new Float64Array(view.rowLength);
  for (let r = 0; r < view.rows; r++) {
    view.readRow(r, row);
    out.push(Array.from(row));
  }
  return out;
}

/** The same region read through `descriptor` (in a file) and by HDF5 itself (h5wasm) must be identical. */
export async function expectSameRegionAsHdf5(
  descriptor: SourceDescriptor & { file: string },
  start: number[],
  count: number[],
): Promise<void> {
  const ours = await openSource(descriptor);
  const hdf5 = await H5wasmRegionSource.open({
    kind: 'h5wasm',
    file: descriptor.file,
    variable: descriptor.variable,
    dtype: descriptor.dtype,
    shape: descriptor.shape,
    chunks: null,
  });
  try {
    const a = rows(ours.read(start, count));
    expect(a.length).toBe(count.slice(0, -1).reduce((n, c) => n * c, 1));
    expect(a, `${descriptor.variable} (${descriptor.kind})`).toEqual(rows(hdf5.read(start, count)));
  } finally {
    ours.close();
    hdf5.close();
  }
}
