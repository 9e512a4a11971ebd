// Training on onnx-cpu held to tfjs-cpu by the shared training conformance: one step within 1e-4, ten within 1e-3.
import { describeTrainingConformance } from '@convzoo/backend/conformance';
import { registerTfjsBackends } from '@convzoo/backend-tfjs';
import { registerOnnxBackends } from '../src/index.js';

describeTrainingConformance({
  backend: 'onnx-cpu',
  setup: () => {
    registerTfjsBackends();
    registerOnnxBackends();
  },
});
