// onnx-webgpu (onnxruntime-node, WebGPU EP) on SwiftShader: needs `apt-get install chromium libvulkan1`; the backend
// points VK_ICD_FILENAMES at SwiftShader itself when unset and no GPU device exists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpecBuilder } from '@convzoo/models';
import { BackendRegistry, type Model } from '@convzoo/backend';
import { registerOnnxBackends } from '../src/index.js';
import { seededWeights } from './helpers.js';

const registry = new BackendRegistry();
registerOnnxBackends(registry);

const relErr = (got: Float32Array, want: Float32Array) => {
  const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  return got.reduce((m, v, i) => Math.max(m, Math.abs(v - want[i]!)), 0) / scale;
};

describe('onnx-webgpu', () => {
  // Six input channels: a multiple of 3 but not of 4, where ORT 1.30's WebGPU Conv is wrong in NHWC layout.
  const b = new SpecBuilder('six_channels');
  const spec = b.build(b.conv2d(b.input([9, 9, 6]), { filters: 8, kernelSize: 3, padding: 'same' }));
  const weights = seededWeights(spec, 7);
  const x = { shape: [2, 9, 9, 6], data: Float32Array.from({ length: 2 * 9 * 9 * 6 }, (_, i) => Math.cos(i * 0.11)) };
  let cpu: Model;
  let want: Float32Array;
  beforeAll(async () => {
    cpu = await registry.compile(spec, { backend: 'onnx-cpu', weights });
    want = (await cpu.predict(x))[0]!.data;
  });
  afterAll(() => cpu.dispose());

  it('starts through Vulkan (SwiftShader here) and says so', async () => {
    const probe = await registry.probe('onnx-webgpu');
    expect(probe.reason).toBeUndefined();
    expect(probe.available).toBe(true);
    expect(probe.details).toMatch(/EP webgpu/);
  });

  it('computes a 6-input-channel conv like onnx-cpu (regression: NHWC layout bug of ORT 1.30)', async () => {
    const gpu = await registry.compile(spec, { backend: 'onnx-webgpu', weights });
    expect(relErr((await gpu.predict(x))[0]!.data, want)).toBeLessThan(1e-4);
    gpu.dispose();
  });

  it('the regression input really triggers the bug when NHWC is forced (so the test above can fail)', async () => {
    const nhwc = await registry.compile(spec, { backend: 'onnx-webgpu', weights, engine: { executionProvider: { preferredLayout: 'NHWC' } } });
    const err = relErr((await nhwc.predict(x))[0]!.data, want);
    nhwc.dispose();
    // If this fails, ONNX Runtime fixed the bug and the NCHW pin in runtime/backends.ts may be revisited.
    expect(err).toBeGreaterThan(1e-3);
  });
});
