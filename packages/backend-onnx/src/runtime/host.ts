// What differs between the Node and the browser entries: how the onnxruntime-node backends are checked. Kept as an
// interface so the browser entry never imports node-env.ts (fs, path, os, module) at all.

export type NodeBackendName = 'onnx-cuda' | 'onnx-cpu' | 'onnx-webgpu';

export interface OnnxHost {
  /** Host checks before an onnxruntime-node backend starts: a reason when it cannot, else details. */
  prepareNode(name: NodeBackendName): Promise<{ reason?: string; details?: string }>;
}
