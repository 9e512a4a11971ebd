// Shape inference with Keras semantics: each kind's rule is its `shape` entry in kinds.ts; a layer whose output shape
// cannot be computed (kernel too large, mismatched merge, dense on an image) is exactly a layer Keras would reject.
import { SpecError, type SpecRule } from './errors.js';
import { slide } from './geometry.js';
import { checkStructure } from './structure.js';
import { kindOf } from './kinds.js';
import type { FeatureShape, Layer, ModelSpec, Padding, Pair, Shape3 } from './types.js';

const fmt = (s: readonly number[]) => `(${s.join(', ')})`;

function shapeOf(layer: Layer, ins: FeatureShape[], fail: (rule: SpecRule, detail: string) => never): FeatureShape {
  const positive = (what: string, values: readonly number[]) => {
    if (!values.every((v) => Number.isInteger(v) && v > 0)) fail('non-positive', `${what} must be positive integers, got ${fmt(values)}`);
  };
  const image = (): Shape3 => {
    const s = ins[0]!;
    if (s.length !== 3) fail('input-rank', `${layer.kind} needs an (h, w, c) input, got ${fmt(s)}${s.length === 1 ? ' (a flattened vector)' : ''}`);
    return s as Shape3;
  };
  const windowed = (what: string, kernel: Pair, strides: Pair, dilation: Pair, padding: Padding): [number, number] => {
    positive(what, kernel);
    positive('strides', strides);
    positive('dilation', dilation);
    if (typeof padding === 'object') {
      const box = [padding.top, padding.bottom, padding.left, padding.right];
      if (box.some((p) => p < 0)) fail('non-positive', `padding must not be negative, got ${JSON.stringify(padding)}`);
    }
    const [h, w] = image();
    const along = [slide(h, kernel[0], strides[0], dilation[0], padding, 0), slide(w, kernel[1], strides[1], dilation[1], padding, 1)];
    along.forEach((a, axis) => {
      if (a.out < 1) {
        const size = axis === 0 ? h : w;
        fail(
          'kernel-too-large',
          `${what} ${fmt(kernel)}${dilation[axis] !== 1 ? ` dilated to ${a.extent}` : ''} is larger than the ${axis === 0 ? 'height' : 'width'} ${size}${a.before + a.after ? ` padded to ${size + a.before + a.after}` : ''}`,
        );
      }
    });
    return [along[0]!.out, along[1]!.out];
  };

  return kindOf(layer).shape(layer, { ins, fail, positive, image, windowed });
}

/**
 * Output shape of every layer, without the batch dimension ([h, w, c] or [n]). Also checks the spec: a broken
 * spec throws a SpecError naming the layer and the rule.
 */
export function inferShapes(spec: ModelSpec): Map<string, FeatureShape> {
  checkStructure(spec);
  const shapes = new Map<string, FeatureShape>();
  for (const layer of spec.layers) {
    const ins = layer.inputs.map((n) => shapes.get(n)!);
    const fail = (rule: SpecRule, detail: string): never => {
      throw new SpecError(detail, { rule, layer: layer.name, model: spec.name });
    };
    shapes.set(layer.name, shapeOf(layer, ins, fail));
  }
  return shapes;
}
