// The families' deeper repeats (VGG13-19 with and without BatchNorm, ResNet34/101/152 in both flavours) and the
// large flavour repeats (AlexNet torchvision, VGG11, ResNet18 both, ResNet50 keras: WEBGPU_FLAVOUR_REPEATS in
// conformance-cases.ts) on onnx-webgpu against the Keras (and PyTorch) fixtures, one image each. Opt-in
// (CONVZOO_WEBGPU_ALL=1, part of `npm run test:heavy`): about 4 minutes of SwiftShader on 2 cores, for no layer kind,
// kernel or wiring the CI lacks: they repeat the blocks of VGG11-BN, ResNet50 and the paper ResNets, which
// conformance-webgpu(-large).test.ts run on onnx-webgpu, and their own wiring is held to keras.applications /
// torchvision on onnx-cpu and onnx-wasm (conformance-cpu/-wasm.test.ts). conformance-webgpu.test.ts checks that the
// three webgpu files together hold every case onnx-cpu runs.
import { describe, it, vi } from 'vitest';
import { describeBackendConformance } from '@convzoo/backend/conformance';
import { registerOnnxBackends } from '../src/index.js';
import { webgpuCases } from './conformance-cases.js';

if (process.env.CONVZOO_WEBGPU_ALL === '1') {
  vi.setConfig({ hookTimeout: 300_000, testTimeout: 300_000 });
  describeBackendConformance({ backend: 'onnx-webgpu', models: webgpuCases().deeper, batch: 1, setup: () => registerOnnxBackends() });
} else {
  describe('conformance of the deeper VGG/ResNet repeats on onnx-webgpu [opt-in: CONVZOO_WEBGPU_ALL]', () => {
    it.skip('set CONVZOO_WEBGPU_ALL=1 to run them (about 4 minutes of SwiftShader on 2 cores)', () => {});
  });
}
