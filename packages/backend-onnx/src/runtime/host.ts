// What differs between the Node and the browser entries: how the onnxruntime-node backends are checked, and where
// exported models are cached (files, or Cache Storage). Kept as an
// interface so the browser entry never imports node-env.ts (fs, path, os, module) at all.
import type { Runtime } from './ort.js';

export type NodeBackendName = 'onnx-cuda' | 'onnx-cpu' | 'onnx-webgpu';

export interface OnnxHost {
  /** Host checks before an onnxruntime-node backend starts: a reason when it cannot, else details. */
  prepareNode(name: NodeBackendName): Promise<{ reason?: string; details?: string }>;
  /**
   * Where exported ONNX models are kept by key for this runtime: files on disk for onnxruntime-node, Cache Storage
   * for onnxruntime-web in a browser; undefined where none is (onnxruntime-web in Node).
   */
  modelCache(runtime: Runtime): ModelCache | undefined;
  /**
   * The intra-op thread count onnxruntime-node sessions get when engine.intraOpNumThreads is not given: the cores this
   * process may use (Node: os.availableParallelism()). ORT's own default is not that: on a 2-core machine it runs ONE
   * thread (issue 24: a ResNet20 training step 1,025 ms at ORT's default, 709-730 ms with 2 threads).
   */
  cpuThreads?(): number;
}

/** What a session starts from: a file the runtime reads itself (Node), or the model's bytes (browser). */
export type CachedModel = string | Uint8Array;

/**
 * Exported models by key: `<where>/<sha256 of the key parts>.onnx` (a folder in Node, a Cache Storage cache name in a
 * browser), written atomically: a reader never sees half a model.
 */
export interface ModelCache {
  /** The cached model, or undefined. */
  find(where: string, keyParts: readonly string[]): Promise<CachedModel | undefined>;
  /** Keeps `bytes` and returns what a session starts from (the file, or the bytes themselves). */
  store(where: string, keyParts: readonly string[], bytes: Uint8Array): Promise<CachedModel>;
  /** Removes an entry the runtime could not load (a damaged model is rebuilt, not kept). */
  drop(where: string, keyParts: readonly string[]): Promise<void>;
}
