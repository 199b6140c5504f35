// The few WebAssembly JS-API types the engine uses (the project's lib settings do not include them).
declare global {
  namespace WebAssembly {
    interface MemoryDescriptor { initial: number; maximum?: number; shared?: boolean }
    class Memory {
      constructor(descriptor: MemoryDescriptor);
      readonly buffer: ArrayBuffer | SharedArrayBuffer;
      grow(delta: number): number;
    }
    class Module {
      constructor(bytes: BufferSource);
    }
    class Instance {
      constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
      readonly exports: Record<string, unknown>;
    }
    function validate(bytes: BufferSource): boolean;
  }
}
export {};
