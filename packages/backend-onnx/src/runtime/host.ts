// What differs between the Node and the browser entries: how the onnxruntime-node backends are checked. Kept as an
// interface so the browser entry never imports node-env.ts (fs, path, os, module) at all.

export type NodeBackendName = 'onnx-cuda' | 'onnx-cpu' | 'onnx-webgpu';

export interface OnnxHost {
  /** Host checks before an onnxruntime-node backend starts: a reason when it cannot, else details. */
  prepareNode(name: NodeBackendName): Promise<{ reason?: string; details?: string }>;
  /**
   * The intra-op thread count onnxruntime-node sessions get when engine.intraOpNumThreads is not given: the cores this
   * process may use (Node: os.availableParallelism()). ORT's own default is not that: on a 2-core machine it runs ONE
   * thread (issue 24: a ResNet20 training step 1,025 ms at ORT's default, 709-730 ms with 2 threads).
   */
  cpuThreads?(): number;
  /** Exported ONNX models kept on disk by key (Node); absent in browsers. */
  modelCache?: ModelFileCache;
}

/** Files `<dir>/<sha256 of the key parts>.onnx`, written atomically. */
export interface ModelFileCache {
  /** The cached file's path, or undefined. */
  find(dir: string, keyParts: readonly string[]): Promise<string | undefined>;
  /** Writes `bytes` (atomically: a reader never sees half a file) and returns the path. */
  store(dir: string, keyParts: readonly string[], bytes: Uint8Array): Promise<string>;
  /** Removes an entry the runtime could not load (a damaged file is rebuilt, not kept). */
  drop(path: string): Promise<void>;
}
