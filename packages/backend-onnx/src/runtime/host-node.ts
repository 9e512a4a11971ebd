import { availableParallelism } from 'node:os';
import type { OnnxHost } from './host.js';
import { nodeModelCache } from './model-cache-node.js';
import { cudaMissingReason, ensureVulkanIcd, ortNodeBinaryDir } from './node-env.js';

export const nodeHost: OnnxHost = {
  async prepareNode(name) {
    if (name === 'onnx-cuda') {
      const reason = await cudaMissingReason(await ortNodeBinaryDir());
      return reason ? { reason } : {};
    }
    if (name === 'onnx-webgpu') return { details: await ensureVulkanIcd() };
    return {};
  },
  cpuThreads: () => availableParallelism(),
  // onnxruntime-web in Node reads no file paths here: no cache for it.
  modelCache: (runtime) => (runtime === 'onnxruntime-node' ? nodeModelCache : undefined),
};
