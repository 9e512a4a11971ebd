// Training on onnx-webgpu (SwiftShader here) held to tfjs-cpu by the shared training conformance, on a subset:
// SwiftShader compiles each WebGPU session slowly, so one case: pooling (both backward paths), conv, two weighted heads, SGD momentum.
import { describeTrainingConformance, trainingParityCases } from '@convzoo/backend/conformance';
import { registerTfjsBackends } from '@convzoo/backend-tfjs';
import { registerOnnxBackends } from '../src/index.js';

describeTrainingConformance({
  backend: 'onnx-webgpu',
  models: trainingParityCases().filter((c) => c.name.startsWith('train: max/avg')),
  steps: 3,
  setup: () => {
    registerTfjsBackends();
    registerOnnxBackends();
  },
});
