// onnx-webgpu (SwiftShader here) against Keras over ten steps of Adam and of SGD with momentum: LeNet (conv, pools,
// dense, both optimizers' update graphs). The other families take minutes a case on SwiftShader (ResNet20 at batch 8
// did not finish 20 steps in 15 minutes on 2 loaded cores); onnx-cpu runs them. Opt-in (CONVZOO_WEBGPU_ALL=1, part
// of `npm run test:heavy`): 60 CPU-seconds alone on 2 idle cores (a warm LeNet step at batch 8 is ~1 s of SwiftShader,
// 81% of it in its JIT-compiled shaders), ~95 s beside the other lanes. In `npm test` onnx-webgpu's training is held
// to tfjs-cpu on every layer case and LeNet (training-webgpu.test.ts), onnx-cpu's to these Keras steps
// (training-steps-cpu.test.ts), and onnx-web-webgpu's LeNet steps in Chromium to Node's onnx-cpu (apps/web).
import { describe, it } from 'vitest';
import { describeTrainingSteps } from '@convzoo/backend/conformance';
import { registerOnnxBackends } from '../src/index.js';

const FAMILIES = new Set(['lenet']);

if (process.env.CONVZOO_WEBGPU_ALL === '1')
  describeTrainingSteps({ backend: 'onnx-webgpu', setup: () => registerOnnxBackends(), cases: (c) => FAMILIES.has(c.model.name), timeout: 300_000 });
else
  describe('ten Keras training steps of LeNet on onnx-webgpu [opt-in: CONVZOO_WEBGPU_ALL]', () => {
    it.skip('set CONVZOO_WEBGPU_ALL=1 to run them (about 40 s of SwiftShader on 2 idle cores)', () => {});
  });
