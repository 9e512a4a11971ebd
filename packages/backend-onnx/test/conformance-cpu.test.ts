// The shared conformance suite on onnx-cpu, against the Keras (and PyTorch) fixtures; tfjs-cpu for the one graph without a fixture.
import { describeBackendConformance } from '@convzoo/backend/conformance';
import { registerTfjsBackends } from '@convzoo/backend-tfjs';
import { registerOnnxBackends } from '../src/index.js';
import { onnxCases } from './conformance-cases.js';

describeBackendConformance({
  backend: 'onnx-cpu',
  reference: 'tfjs-cpu',
  models: onnxCases(),
  setup: () => {
    registerTfjsBackends();
    registerOnnxBackends();
  },
});
