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
 * against the fixtures, in three files so vitest runs them beside the other files: the layer cases (every layer kind
 * and corner; in `npm test`) and, opt-in (CONVZOO_WEBGPU_ALL=1, `npm run test:heavy`), the architectures (the small
 * ones and the first large member of each family) and the deeper repeats. The
 * large ones check parity, shapes and dispose, not the weight read-back, which is the ONNX adapter's (shared with
 * onnx-cpu and onnx-wasm, checked there).
 */
export const WEBGPU_LARGE_PARAMS = 7_000_000;

const paramCount = (c: ConformanceCase) => {
  const spec = typeof c.spec === 'function' ? c.spec() : c.spec;
  return paramInfos(spec).reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
};

/**
 * One large member per family and kernel mix joins the architectures file: the tutorial AlexNet, VGG11-BN, torchvision's
 * ResNet50 (bottlenecks, 7x7 stem, stride on the 3x3) and Inception-v3. Their other flavours and siblings add no layer
 * kind or kernel: the same blocks in the other library's arrangement, and their wiring is held to Keras/PyTorch on
 * onnx-cpu and onnx-wasm in CI. SwiftShader alone (this file's `-t` per model, idle 2 cores): resnet50 (keras) 18,
 * resnet18 10 and 9, alexnet (torchvision) 10, vgg11 (keras) 12 CPU-seconds, ~60 of the then large file's ~96; they
 * go with the deeper repeats.
 */
const WEBGPU_FLAVOUR_REPEATS = new Set([
  'alexnet (torchvision, 63x63x3)',
  'vgg11 (keras, 32x32x3)',
  'resnet18 (keras, 32x32x3)',
  'resnet18 (torchvision, 32x32x3)',
  'resnet50 (keras, 32x32x3)',
]);

/**
 * Every onnx case, in three parts (three files) for onnx-webgpu: `layers` (the cases of no registered model),
 * `architectures` (opt-in: every architecture up to WEBGPU_LARGE_PARAMS and one large member per family, above) and
 * `deeper` (opt-in: the families' deeper repeats, VGG13-19, ResNet34/101/152 and their variants, which add depth, not
 * layer kinds, and WEBGPU_FLAVOUR_REPEATS), each its own file so vitest runs them beside the others.
 */
export function webgpuCases(): { layers: ConformanceCase[]; architectures: ConformanceCase[]; deeper: ConformanceCase[] } {
  const all = onnxCases();
  const isLarge = (c: ConformanceCase) => c.model !== undefined && paramCount(c) > WEBGPU_LARGE_PARAMS;
  const parityOnly = (c: ConformanceCase) => ({ ...c, parityOnly: true });
  for (const name of WEBGPU_FLAVOUR_REPEATS) if (!all.some((c) => c.name === name)) throw new Error(`WEBGPU_FLAVOUR_REPEATS: no case '${name}'`);
  return {
    layers: all.filter((c) => c.model === undefined),
    architectures: [
      ...all.filter((c) => c.model !== undefined && !isLarge(c)),
      ...all.filter((c) => isLarge(c) && !c.parityOnly && !WEBGPU_FLAVOUR_REPEATS.has(c.name)).map(parityOnly),
    ],
    deeper: all.filter((c) => isLarge(c) && (c.parityOnly || WEBGPU_FLAVOUR_REPEATS.has(c.name))).map(parityOnly),
  };
}
