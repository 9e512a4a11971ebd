// The shared conformance suite on onnx-webgpu for the registered architectures, one image each, against the Keras
// (and PyTorch) fixtures: every one up to WEBGPU_LARGE_PARAMS (LeNet, the paper ResNets and plain nets, the tutorial
// ResNet, both GoogLeNets) and one large member per family (the tutorial AlexNet, VGG11-BN, torchvision's ResNet50,
// Inception-v3). Opt-in (CONVZOO_WEBGPU_ALL=1, part of `npm run test:heavy`): 45 + 55 CPU-seconds of SwiftShader on
// 2 idle cores, twice that beside the other lanes. In `npm test` onnx-webgpu runs every layer kind and corner
// (conformance-webgpu.test.ts) and trains every layer case and LeNet (training-webgpu.test.ts); these nets' wiring is
// held to Keras/PyTorch on onnx-cpu and onnx-wasm; and in Chromium the WebGPU backends recognise drawn digits with
// LeNet, and onnx-web-webgpu classifies photos with the ResNet50 ImageNet weights (apps/web's e2e).
import { describe, it, vi } from 'vitest';
import { describeBackendConformance } from '@convzoo/backend/conformance';
import { registerOnnxBackends } from '../src/index.js';
import { webgpuCases } from './conformance-cases.js';

if (process.env.CONVZOO_WEBGPU_ALL === '1') {
  // A large net's one image takes 5-20 s of SwiftShader on an idle 2-core machine, over a minute when it is shared.
  vi.setConfig({ hookTimeout: 300_000, testTimeout: 300_000 });
  describeBackendConformance({ backend: 'onnx-webgpu', models: webgpuCases().architectures, batch: 1, setup: () => registerOnnxBackends() });
} else {
  describe('conformance of every architecture and one large net per family on onnx-webgpu [opt-in: CONVZOO_WEBGPU_ALL]', () => {
    it.skip('set CONVZOO_WEBGPU_ALL=1 to run them (about 1.5 minutes of SwiftShader on 2 idle cores)', () => {});
  });
}
