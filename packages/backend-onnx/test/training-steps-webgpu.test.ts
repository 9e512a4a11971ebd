// onnx-webgpu (SwiftShader here) against Keras over ten steps of Adam and of SGD with momentum: LeNet (conv, pools,
// dense, both optimizers' update graphs). The other families take minutes a case on SwiftShader (ResNet20 at batch 8
// did not finish 20 steps in 15 minutes on 2 loaded cores); onnx-cpu runs them. This file: 108 s on 2 cores at load 9 (250 s at 25).
import { describeTrainingSteps } from '@convzoo/backend/conformance';
import { registerOnnxBackends } from '../src/index.js';

const FAMILIES = new Set(['lenet']);

describeTrainingSteps({ backend: 'onnx-webgpu', setup: () => registerOnnxBackends(), cases: (c) => FAMILIES.has(c.model.name), timeout: 300_000 });
