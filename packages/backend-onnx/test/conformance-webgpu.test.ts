// The shared conformance suite on onnx-webgpu, against the Keras (and PyTorch) fixtures; tfjs-cpu for the one graph without a fixture.
import { describeBackendConformance } from '@convzoo/backend/conformance';
import { registerTfjsBackends } from '@convzoo/backend-tfjs';
import { registerOnnxBackends } from '../src/index.js';
import { onnxCases } from './conformance-cases.js';

describeBackendConformance({
  backend: 'onnx-webgpu',
  reference: 'tfjs-cpu',
  models: onnxCases(),
  // SwiftShader is a CPU emulating a GPU: one image per batch keeps the suite short.
  batch: 1,
  setup: () => {
    registerTfjsBackends();
    registerOnnxBackends();
  },
});
