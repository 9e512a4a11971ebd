// What the shared conformance suite runs on each ONNX backend: its default cases (every layer corner, every flavour
// of every registered architecture, against the Keras/PyTorch fixtures) plus one graph with every layer kind at
// once, which has no fixture and is compared with tfjs-cpu.
import { defaultConformanceCases, type ConformanceCase } from '@convzoo/backend/conformance';
import { paramInfos } from '@convzoo/models';
import { allKinds } from './helpers.js';

const allKindsCase: ConformanceCase = {
  name: 'onnx: every layer kind in one graph (nearest downsampling, channel softmax on an image output)',
  spec: allKinds,
};

export function onnxCases(): ConformanceCase[] {
  return [...defaultConformanceCases(), allKindsCase];
}

/**
 * SwiftShader (a CPU pretending to be a GPU) runs ONNX Runtime's WebGPU kernels slowly: 5-20 s per image for the
 * architectures above a few million parameters (the NCHW conv shaders, see WEBGPU_LAYOUT). Every case runs there
 * against the fixtures, split in three files so vitest runs them beside the other files: the layer cases and the
 * small architectures (every layer kind and wiring), the first large member of each family, and (opt-in,
 * CONVZOO_WEBGPU_ALL=1) its deeper repeats. The
 * large ones check parity, shapes and dispose, not the weight read-back, which is the ONNX adapter's (shared with
 * onnx-cpu and onnx-wasm, checked there).
 */
export const WEBGPU_LARGE_PARAMS = 7_000_000;

const paramCount = (c: ConformanceCase) => {
  const spec = typeof c.spec === 'function' ? c.spec() : c.spec;
  return paramInfos(spec).reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
};

/**
 * Every onnx case, in three parts (three files) for onnx-webgpu: `small` (no registered model, or <= WEBGPU_LARGE_PARAMS), `large`
 * (the first large member of each family) and `deeper` (the families' deeper repeats: VGG13-19, ResNet34/101/152 and
 * their variants, which add depth, not layer kinds), each its own file so vitest runs them beside the others.
 */
export function webgpuCases(): { small: ConformanceCase[]; large: ConformanceCase[]; deeper: ConformanceCase[] } {
  const all = onnxCases();
  const isLarge = (c: ConformanceCase) => c.model !== undefined && paramCount(c) > WEBGPU_LARGE_PARAMS;
  const parityOnly = (c: ConformanceCase) => ({ ...c, parityOnly: true });
  return {
    small: all.filter((c) => !isLarge(c)),
    large: all.filter((c) => isLarge(c) && !c.parityOnly).map(parityOnly),
    deeper: all.filter((c) => isLarge(c) && c.parityOnly).map(parityOnly),
  };
}
