// The families' deeper repeats (VGG13-19 with and without BatchNorm, ResNet34/101/152 in both flavours) on
// onnx-webgpu against the Keras (and PyTorch) fixtures, one image each: ~100 s of SwiftShader on 2 cores (a fixed
// per-session cost), in its own file so vitest runs it beside the others. conformance-webgpu.test.ts checks that the
// three webgpu files together run every case onnx-cpu runs.
import { vi } from 'vitest';
import { describeBackendConformance } from '@convzoo/backend/conformance';
import { registerOnnxBackends } from '../src/index.js';
import { webgpuCases } from './conformance-cases.js';

vi.setConfig({ hookTimeout: 300_000, testTimeout: 300_000 });
describeBackendConformance({ backend: 'onnx-webgpu', models: webgpuCases().deeper, batch: 1, setup: () => registerOnnxBackends() });
