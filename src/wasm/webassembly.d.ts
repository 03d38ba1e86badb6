// The part of the WebAssembly JavaScript API this project uses. TypeScript declares it only in its DOM library,
// which a Node.js program does not load.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
}
declare namespace WebAssembly {
  /** What a trap (or an Emscripten abort) inside WebAssembly code throws. */
  class RuntimeError extends Error {}
}
