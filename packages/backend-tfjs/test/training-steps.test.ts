// tfjs-wasm against Keras over ten steps of Adam and of SGD with momentum (@convzoo/backend's describeTrainingSteps):
// convzoo's tfjs gradient kernels and optimizers held to Keras' own, on LeNet, GoogLeNet with aux heads and ResNet20
// (BatchNorm, residual adds). AlexNet, VGG11-BN and ResNet18 run on onnx-cpu (backend-onnx's
// training-steps-cpu.test.ts): here they add minutes, and tfjs-wasm's VGG11-BN updates wander from Keras' by up to
// 17% under Adam (fc2/kernel; 4e-5 on onnx-cpu), measured before they left this file.
import { describeTrainingSteps } from '@convzoo/backend/conformance';
import { registerNodeBackends } from './helpers.js';

const FAMILIES = new Set(['lenet', 'googlenet', 'resnet20']);

describeTrainingSteps({ backend: 'tfjs-wasm', setup: registerNodeBackends, cases: (c) => FAMILIES.has(c.model.name), mutants: true, timeout: 300_000 });
