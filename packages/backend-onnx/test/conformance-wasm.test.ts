// The shared conformance suite on onnx-wasm, against tfjs-cpu as the reference.
import { defaultConformanceCases, describeBackendConformance } from '@convzoo/backend/conformance';
import { registerTfjsBackends } from '@convzoo/backend-tfjs';
import { registerOnnxBackends } from '../src/index.js';
import { allKinds } from './helpers.js';

describeBackendConformance({
  backend: 'onnx-wasm',
  reference: 'tfjs-cpu',
  // Plus one graph with every layer kind at once (nearest downsampling, channel softmax on an image output).
  models: [...defaultConformanceCases(), { name: 'onnx: every layer kind in one graph', spec: allKinds }],
  setup: () => {
    registerTfjsBackends();
    registerOnnxBackends();
  },
});
