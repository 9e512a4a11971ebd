// The shared conformance suite on onnx-webgpu, against the Keras (and PyTorch) fixtures; tfjs-cpu for the one graph without a fixture.
import { describeBackendConformance } from '@convzoo/backend/conformance';
import { registerTfjsBackends } from '@convzoo/backend-tfjs';
import { registerOnnxBackends } from '../src/index.js';
import { it } from 'vitest';
import { webgpuCases, WEBGPU_MAX_PARAMS } from './conformance-cases.js';

const { run, left } = webgpuCases();

describeBackendConformance({
  backend: 'onnx-webgpu',
  reference: 'tfjs-cpu',
  models: run,
  // SwiftShader is a CPU emulating a GPU: one image per batch keeps the suite short.
  batch: 1,
  setup: () => {
    registerTfjsBackends();
    registerOnnxBackends();
  },
});

// Not a silent skip: the architectures left to CONVZOO_WEBGPU_ALL=1 are named in the output.
it(`onnx-webgpu: architectures over ${WEBGPU_MAX_PARAMS} parameters run only with CONVZOO_WEBGPU_ALL=1`, () => {
  if (left.length) console.log(`onnx-webgpu (SwiftShader) leaves to CONVZOO_WEBGPU_ALL=1: ${left.join(', ')}`);
});
