import { checkReadable } from './file-checks.js';
import { NativeProductReader } from './native/reader.js';
import type { ProductReader } from './reader.js';

/**
 * Open a product on disk for comparison. The project's own HDF5 parser reads it when it can (no HDF5 start-up,
 * structure in milliseconds); a file it cannot read — an HDF5 feature it does not implement, or damage — is opened
 * by HDF5 itself (h5wasm, loaded only then), which reads everything HDF5 reads and words real damage in one line.
 */
export async function openProduct(path: string): Promise<ProductReader> {
  checkReadable(path);
  try {
    return NativeProductReader.open(path);
  } catch {
    const { H5wasmProductReader } = await import('./h5wasm/reader.js');
    return H5wasmProductReader.open(path);
  }
}
