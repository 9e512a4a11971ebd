// Training on onnx-wasm (onnxruntime-web's WASM build, what browsers run) held to tfjs-cpu by the shared training
// conformance: every layer-kind case and LeNet, one step within 1e-4 and three within 1e-3. Its max-pool backward
// is the recomputing one (the onnxruntime-node backends use MaxPool's Indices), so both paths are held to it.
import { describeTrainingConformance } from '@convzoo/backend/conformance';
import { registerTfjsBackends } from '@convzoo/backend-tfjs';
import { registerOnnxBackends } from '../src/index.js';

describeTrainingConformance({
  backend: 'onnx-wasm',
  steps: 3,
  setup: () => {
    registerTfjsBackends();
    registerOnnxBackends();
  },
});
