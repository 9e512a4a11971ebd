// The shared conformance suite on onnx-webgpu for one large member per family (the tutorial AlexNet, VGG11-BN,
// torchvision's ResNet50, Inception-v3), one image each, against the Keras (and PyTorch) fixtures. A separate file so
// vitest runs it beside conformance-webgpu.test.ts and the other files; the deeper and flavour repeats are the opt-in
// -deeper file.
import { vi } from 'vitest';
import { describeBackendConformance } from '@convzoo/backend/conformance';
import { registerOnnxBackends } from '../src/index.js';
import { webgpuCases } from './conformance-cases.js';

// A large net's one image takes 5-20 s of SwiftShader on an idle 2-core machine, over a minute when it is shared.
vi.setConfig({ hookTimeout: 300_000, testTimeout: 300_000 });

describeBackendConformance({
  backend: 'onnx-webgpu',
  models: webgpuCases().large,
  batch: 1,
  setup: () => registerOnnxBackends(),
});
