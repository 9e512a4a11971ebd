// The slice of the ONNX Runtime JS API convzoo uses, shared by onnxruntime-node and onnxruntime-web, and their lazy
// loaders. Both are optional peer dependencies: a missing one is an actionable error, never a crash at import.

export interface OrtTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
  readonly type: string;
  /** 'cpu', or 'gpu-buffer' for an output the runtime kept on the GPU (then `data` is not readable). */
  readonly location?: string;
  dispose?(): void;
}

export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}

export interface OrtModule {
  /** A path is read by the runtime itself (onnxruntime-node): the model's bytes never enter the JS heap. */
  InferenceSession: { create(model: Uint8Array | string, options: Record<string, unknown>): Promise<OrtSession> };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
  env: { versions?: Record<string, string | undefined>; wasm?: { numThreads?: number } };
}

export type Runtime = 'onnxruntime-node' | 'onnxruntime-web';

const loaded = new Map<Runtime, Promise<OrtModule>>();

/** Imports the runtime once per process; the error says how to install it. */
export function loadRuntime(runtime: Runtime): Promise<OrtModule> {
  let p = loaded.get(runtime);
  if (!p) {
    // onnxruntime-node is native: a variable specifier keeps browser bundlers from following it. onnxruntime-web is
    // imported literally so bundlers (the web demo) include it.
    const nodeSpecifier: string = 'onnxruntime-node';
    const imported: Promise<unknown> = runtime === 'onnxruntime-web' ? import('onnxruntime-web') : import(/* @vite-ignore */ nodeSpecifier);
    p = (imported as Promise<{ default?: OrtModule } & Partial<OrtModule>>).then(
      (m) => (m.InferenceSession ? (m as OrtModule) : m.default!),
      (e: unknown) => {
        loaded.delete(runtime);
        throw new Error(`package ${runtime} is not installed or failed to load (npm i ${runtime}@^1.30): ${(e as Error).message}`);
      },
    );
    loaded.set(runtime, p);
  }
  return p;
}

export function runtimeVersion(ort: OrtModule, runtime: Runtime): string {
  const v = ort.env.versions;
  return `${runtime} ${(runtime === 'onnxruntime-node' ? v?.node : v?.web) ?? v?.common ?? '?'}`;
}
