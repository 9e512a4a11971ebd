// What the shared conformance suite runs on each ONNX backend: its default cases (every layer corner, every flavour
// of every registered architecture, against the Keras/PyTorch fixtures) plus one graph with every layer kind at
// once, which has no fixture and is compared with tfjs-cpu.
import { defaultConformanceCases, type ConformanceCase } from '@convzoo/backend/conformance';
import { paramInfos } from '@convzoo/spec';
import { allKinds } from './helpers.js';

const allKindsCase: ConformanceCase = { name: 'onnx: every layer kind in one graph (nearest downsampling, channel softmax on an image output)', spec: allKinds };

export function onnxCases(): ConformanceCase[] {
  return [...defaultConformanceCases(), allKindsCase];
}

/** Set to run every architecture on onnx-webgpu too (SwiftShader: tens of minutes), outside the default run. */
export const WEBGPU_ALL = process.env.CONVZOO_WEBGPU_ALL === '1';

/**
 * SwiftShader (a CPU pretending to be a GPU) compiles a WebGPU session in ~20-60 s per model above a few million
 * parameters, so by default onnx-webgpu runs the layer cases and the architectures up to WEBGPU_MAX_PARAMS (LeNet,
 * GoogLeNet, the seed's ResNet, CIFAR plain/ResNet 20 and 56: every layer kind and wiring). The rest are listed by
 * conformance-webgpu.test.ts and run with CONVZOO_WEBGPU_ALL=1 (and on a real GPU via the device check).
 */
export const WEBGPU_MAX_PARAMS = 7_000_000;

const paramCount = (c: ConformanceCase) => {
  const spec = typeof c.spec === 'function' ? c.spec() : c.spec;
  return paramInfos(spec).reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
};

export function webgpuCases(): { run: ConformanceCase[]; left: string[] } {
  const all = onnxCases();
  if (WEBGPU_ALL) return { run: all, left: [] };
  const small = (c: ConformanceCase) => !c.model || paramCount(c) <= WEBGPU_MAX_PARAMS;
  return { run: all.filter(small), left: all.filter((c) => !small(c)).map((c) => c.name) };
}
