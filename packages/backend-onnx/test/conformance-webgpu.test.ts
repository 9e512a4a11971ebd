// The shared conformance suite on onnx-webgpu, against tfjs-cpu as the reference.
import { describeBackendConformance } from '@convzoo/backend/conformance';
import { registerTfjsBackends } from '@convzoo/backend-tfjs';
import { registerOnnxBackends } from '../src/index.js';
import { onnxCases } from './conformance-cases.js';

describeBackendConformance({
  backend: 'onnx-webgpu',
  reference: 'tfjs-cpu',
  models: onnxCases('onnx-webgpu'),
  // SwiftShader is a CPU emulating a GPU: one image per batch keeps the suite short.
  batch: 1,
  setup: () => {
    registerTfjsBackends();
    registerOnnxBackends();
  },
});
