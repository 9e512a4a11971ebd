// The shared conformance suite on onnx-webgpu for one large member per family (the tutorial AlexNet, VGG11-BN,
// torchvision's ResNet50, Inception-v3), one image each, against the Keras (and PyTorch) fixtures. Opt-in
// (CONVZOO_WEBGPU_ALL=1, part of `npm run test:heavy`): 55 CPU-seconds of SwiftShader alone on 2 idle cores, twice
// that beside the other lanes, for kernels the fast suite runs on smaller shapes. In `npm test` onnx-webgpu runs the
// layer cases and the architectures up to WEBGPU_LARGE_PARAMS (conformance-webgpu.test.ts: every layer kind and
// wiring), these nets' wiring is held to Keras/PyTorch on onnx-cpu and onnx-wasm, and the WebGPU kernels classify
// photos with the ResNet50 ImageNet weights in Chromium (apps/web's e2e, onnx-web-webgpu).
import { describe, it, vi } from 'vitest';
import { describeBackendConformance } from '@convzoo/backend/conformance';
import { registerOnnxBackends } from '../src/index.js';
import { webgpuCases } from './conformance-cases.js';

if (process.env.CONVZOO_WEBGPU_ALL === '1') {
  // A large net's one image takes 5-20 s of SwiftShader on an idle 2-core machine, over a minute when it is shared.
  vi.setConfig({ hookTimeout: 300_000, testTimeout: 300_000 });
  describeBackendConformance({ backend: 'onnx-webgpu', models: webgpuCases().large, batch: 1, setup: () => registerOnnxBackends() });
} else {
  describe('conformance of one large net per family on onnx-webgpu [opt-in: CONVZOO_WEBGPU_ALL]', () => {
    it.skip('set CONVZOO_WEBGPU_ALL=1 to run them (about 1 minute of SwiftShader on 2 cores)', () => {});
  });
}
