// The shared conformance suite on onnx-webgpu, against the Keras (and PyTorch) fixtures; tfjs-cpu for the one graph
// without a fixture. The layer cases (every layer kind and corner, and one graph with every kind); the architectures
// are in the opt-in conformance-webgpu-architectures.test.ts and -deeper.test.ts (together: every case onnx-cpu runs).
import { describeBackendConformance } from '@convzoo/backend/conformance';
import { registerTfjsBackends } from '@convzoo/backend-tfjs';
import { registerOnnxBackends } from '../src/index.js';
import { expect, it, vi } from 'vitest';
import { onnxCases, webgpuCases } from './conformance-cases.js';

// SwiftShader shares 2 cores with the other heavy files: under load a session's compile and first predict can take
// over the default 60 s (the tutorial GoogLeNet did at load 16, when this file held the architectures).
vi.setConfig({ hookTimeout: 300_000, testTimeout: 300_000 });

describeBackendConformance({
  backend: 'onnx-webgpu',
  reference: 'tfjs-cpu',
  models: webgpuCases().layers,
  // SwiftShader is a CPU emulating a GPU: one image per batch keeps the suite short.
  batch: 1,
  setup: () => {
    registerTfjsBackends();
    registerOnnxBackends();
  },
});

it('onnx-webgpu runs every case onnx-cpu runs (this file, the architectures one and the deeper one together)', () => {
  const { layers, architectures, deeper } = webgpuCases();
  expect([...layers, ...architectures, ...deeper].map((c) => c.name).sort()).toEqual(
    onnxCases()
      .map((c) => c.name)
      .sort(),
  );
});
