// The families' deeper repeats (VGG13-19 with and without BatchNorm, ResNet34/101/152 in both flavours) on
// onnx-webgpu against the Keras (and PyTorch) fixtures, one image each. ~4 minutes of SwiftShader on 2 cores, over the
// fast suite's budget, so opt-in: CONVZOO_WEBGPU_ALL=1. Their layer kinds and wiring are the first members', which
// conformance-webgpu-large.test.ts runs in CI; onnx-cpu and onnx-wasm run these same cases in CI.
import { describe, it, vi } from 'vitest';
import { describeBackendConformance } from '@convzoo/backend/conformance';
import { registerOnnxBackends } from '../src/index.js';
import { webgpuCases } from './conformance-cases.js';

if (process.env.CONVZOO_WEBGPU_ALL === '1') {
  vi.setConfig({ hookTimeout: 300_000, testTimeout: 300_000 });
  describeBackendConformance({ backend: 'onnx-webgpu', models: webgpuCases().deeper, batch: 1, setup: () => registerOnnxBackends() });
} else {
  describe('onnx-webgpu: the deeper repeats of each family [opt-in: CONVZOO_WEBGPU_ALL]', () => {
    it.skip(`set CONVZOO_WEBGPU_ALL=1 to run ${webgpuCases().deeper.length} cases (~4 minutes on 2 cores)`, () => {});
  });
}
