import type { OnnxHost } from './host.js';
import { browserModelCache } from './model-cache-browser.js';

export const browserHost: OnnxHost = {
  async prepareNode(name) {
    return { reason: `${name} needs onnxruntime-node, which runs in Node.js only; in a browser use onnx-wasm or onnx-web-webgpu` };
  },
  modelCache: (runtime) => (runtime === 'onnxruntime-web' ? browserModelCache : undefined),
};
