// The shared conformance suite on onnx-webgpu for the architectures over WEBGPU_LARGE_PARAMS (VGG, AlexNet, ResNet18
// to 152, Inception-v3, ...), one image each, against the Keras (and PyTorch) fixtures. A separate file so vitest
// runs it beside conformance-webgpu.test.ts and the other files.
import { describeBackendConformance } from '@convzoo/backend/conformance';
import { registerOnnxBackends } from '../src/index.js';
import { webgpuCases } from './conformance-cases.js';

describeBackendConformance({
  backend: 'onnx-webgpu',
  models: webgpuCases().large,
  batch: 1,
  setup: () => registerOnnxBackends(),
});
