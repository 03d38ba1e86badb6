import h5wasm from 'h5wasm/node';

export type H5wasm = typeof h5wasm;
export type H5Module = Awaited<typeof h5wasm.ready>;

let loading: Promise<{ h5: H5wasm; module: H5Module }> | undefined;

/**
 * Load h5wasm once per thread. The throwing error handler makes HDF5 failures throw (by default they are only
 * printed to stderr and the call returns garbage), so every failure can be translated into one line.
 */
export function loadH5wasm(): Promise<{ h5: H5wasm; module: H5Module }> {
  loading ??= h5wasm.ready.then((module) => {
    module.activate_throwing_error_handler();
    return { h5: h5wasm, module };
  });
  return loading;
}
