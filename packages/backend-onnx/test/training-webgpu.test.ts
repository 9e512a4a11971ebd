// Training on onnx-webgpu (SwiftShader here) held to tfjs-cpu by the shared training conformance: every case (each
// layer kind, both max-pool backward paths, the optimizers and schedules, LeNet), 3 steps instead of 10 because
// SwiftShader compiles each WebGPU session slowly (~25 s for the file here).
import { describeTrainingConformance, trainingParityCases } from '@convzoo/backend/conformance';
import { registerTfjsBackends } from '@convzoo/backend-tfjs';
import { registerOnnxBackends } from '../src/index.js';

describeTrainingConformance({
  backend: 'onnx-webgpu',
  models: trainingParityCases(),
  steps: 3,
  timeout: 300_000,
  setup: () => {
    registerTfjsBackends();
    registerOnnxBackends();
  },
});
