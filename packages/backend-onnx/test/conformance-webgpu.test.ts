// The shared conformance suite on onnx-webgpu, against the Keras (and PyTorch) fixtures; tfjs-cpu for the one graph
// without a fixture. The layer cases and the architectures up to WEBGPU_LARGE_PARAMS; the others are in the opt-in
// conformance-webgpu-large.test.ts and conformance-webgpu-deeper.test.ts (together: every case onnx-cpu runs).
import { describeBackendConformance } from '@convzoo/backend/conformance';
import { registerTfjsBackends } from '@convzoo/backend-tfjs';
import { registerOnnxBackends } from '../src/index.js';
import { expect, it, vi } from 'vitest';
import { onnxCases, webgpuCases } from './conformance-cases.js';

// SwiftShader shares 2 cores with the other heavy files (they start first, see
// vitest.config.ts), and at load 16 here the tutorial GoogLeNet's compile and first predict took over the default 60 s.
vi.setConfig({ hookTimeout: 300_000, testTimeout: 300_000 });

describeBackendConformance({
  backend: 'onnx-webgpu',
  reference: 'tfjs-cpu',
  models: webgpuCases().small,
  // SwiftShader is a CPU emulating a GPU: one image per batch keeps the suite short.
  batch: 1,
  setup: () => {
    registerTfjsBackends();
    registerOnnxBackends();
  },
});

it('onnx-webgpu runs every case onnx-cpu runs (this file, the large one and the deeper one together)', () => {
  const { small, large, deeper } = webgpuCases();
  expect([...small, ...large, ...deeper].map((c) => c.name).sort()).toEqual(
    onnxCases()
      .map((c) => c.name)
      .sort(),
  );
});
