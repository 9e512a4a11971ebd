// The browser entry registers the same five backends; the onnxruntime-node ones say they are Node-only without
// touching fs, the Vulkan loader or onnxruntime-node.
import { BackendRegistry } from '@convzoo/backend';
import { describe, expect, it } from 'vitest';
import * as browser from '../src/browser.js';
import * as node from '../src/index.js';

describe('browser entry', () => {
  it('registers every ONNX backend, the Node ones refused with a reason naming the browser alternatives', async () => {
    const registry = new BackendRegistry();
    browser.registerOnnxBackends(registry);
    expect(
      registry
        .list()
        .map((b) => b.name)
        .sort(),
    ).toEqual(['onnx-cpu', 'onnx-cuda', 'onnx-wasm', 'onnx-web-webgpu', 'onnx-webgpu']);
    for (const name of ['onnx-cpu', 'onnx-cuda', 'onnx-webgpu']) {
      const probe = await registry.probe(name);
      expect(probe.available).toBe(false);
      expect(probe.reason).toMatch(new RegExp(`^${name} needs onnxruntime-node, which runs in Node.js only; in a browser use onnx-wasm or onnx-web-webgpu`));
    }
  });
  it('exports what the Node entry exports, minus the Node host helpers', () => {
    const nodeOnly = ['CUDA_INSTALL_COMMAND', 'cudaMissingReason', 'cudaProviderFiles', 'ensureVulkanIcd', 'quietWaylandProbe'];
    expect(Object.keys(browser).sort()).toEqual(
      Object.keys(node)
        .filter((k) => !nodeOnly.includes(k))
        .sort(),
    );
  });
});
