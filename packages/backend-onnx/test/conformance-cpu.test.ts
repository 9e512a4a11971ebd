// The shared conformance suite on onnx-cpu, against tfjs-cpu as the reference.
import { describeBackendConformance } from '@convzoo/backend/conformance';
import { registerTfjsBackends } from '@convzoo/backend-tfjs';
import { registerOnnxBackends } from '../src/index.js';
import { onnxCases } from './conformance-cases.js';

describeBackendConformance({
  backend: 'onnx-cpu',
  reference: 'tfjs-cpu',
  models: onnxCases('onnx-cpu'),
  setup: () => {
    registerTfjsBackends();
    registerOnnxBackends();
  },
});
