// onnx-wasm (onnxruntime-web's WASM build, what browsers run) against Keras over ten steps of Adam and of SGD with
// momentum (@convzoo/backend's describeTrainingSteps): LeNet and ResNet20 (BatchNorm, residual adds). The larger nets
// run the same graphs on onnx-cpu (training-steps-cpu.test.ts); on onnx-wasm they would add minutes.
import { describeTrainingSteps } from '@convzoo/backend/conformance';
import { registerOnnxBackends } from '../src/index.js';

const FAMILIES = new Set(['lenet', 'resnet20']);

describeTrainingSteps({ backend: 'onnx-wasm', setup: () => registerOnnxBackends(), cases: (c) => FAMILIES.has(c.model.name), timeout: 300_000 });
