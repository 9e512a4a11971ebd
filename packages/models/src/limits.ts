// Sizes a runtime can actually allocate. A spec is data, so nothing stops `filters: 1e12`; without this check it
// passes validate() and fails later, deep inside weight initialisation, as a raw `Invalid typed array length`.
// Every weight tensor and every layer's output (one image) must fit in one Float32Array of at most 4 GiB: Node's
// buffer.constants.MAX_LENGTH and Chromium's ArrayBuffer cap, and the largest tensor ONNX Runtime and tfjs take.
import { SpecError } from './errors.js';
import { formatBytes } from './format.js';
import { paramInfos, paramSize } from './params.js';
import type { FeatureShape, ModelSpec, ParamInfo } from './types.js';

/** Largest float32 element count of one tensor: 2^30 values = 4 GiB. */
export const MAX_TENSOR_ELEMENTS = 2 ** 30;

const fmtBytes = (bytes: number) => formatBytes(bytes, { significant: 4 });

const count = (n: number) => (Number.isSafeInteger(n) ? n.toLocaleString('en-US') : n.toExponential(3));

/** Throws a SpecError ('too-large') naming the first layer output or weight tensor that could not be allocated. */
export function checkAllocatable(spec: ModelSpec, shapes: Map<string, FeatureShape>, params: ParamInfo[] = paramInfos(spec, shapes)): void {
  const limit = `one tensor holds at most ${count(MAX_TENSOR_ELEMENTS)} float32 values (${fmtBytes(MAX_TENSOR_ELEMENTS * 4)})`;
  for (const layer of spec.layers) {
    const s = shapes.get(layer.name)!;
    const n = s.reduce((a, b) => a * b, 1);
    if (n > MAX_TENSOR_ELEMENTS) {
      throw new SpecError(`output (${s.join(', ')}) needs ${count(n)} float32 values (${fmtBytes(n * 4)}) per image; ${limit}`, {
        rule: 'too-large',
        layer: layer.name,
        model: spec.name,
      });
    }
  }
  for (const p of params) {
    const n = paramSize(p);
    if (n > MAX_TENSOR_ELEMENTS) {
      throw new SpecError(`weight '${p.name}' [${p.shape.join(', ')}] needs ${count(n)} float32 values (${fmtBytes(n * 4)}); ${limit}`, {
        rule: 'too-large',
        layer: p.layer,
        model: spec.name,
      });
    }
  }
}
