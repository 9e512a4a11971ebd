// onnx-cpu's training graphs against Keras over ten steps of Adam and of SGD with momentum, one net per family
// (@convzoo/backend's describeTrainingSteps): the guard for any change to the training graphs. The mutants show a
// wrong Adam epsilon or BatchNorm momentum fails it.
import { describeTrainingSteps } from '@convzoo/backend/conformance';
import { registerOnnxBackends } from '../src/index.js';

describeTrainingSteps({ backend: 'onnx-cpu', setup: () => registerOnnxBackends(), mutants: true, timeout: 300_000 });
