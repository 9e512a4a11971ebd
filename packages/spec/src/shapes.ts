// Shape inference with Keras semantics, and the shape rules of validate(): a layer whose output shape cannot be
// computed (kernel too large, mismatched merge, dense on an image) is exactly a layer Keras would reject.
import { SpecError, type SpecRule } from './errors.js';
import { slide } from './geometry.js';
import { checkStructure } from './structure.js';
import type { FeatureShape, Layer, ModelSpec, Padding, Pair } from './types.js';

const fmt = (s: readonly number[]) => `(${s.join(', ')})`;

function shapeOf(layer: Layer, ins: FeatureShape[], fail: (rule: SpecRule, detail: string) => never): FeatureShape {
  const positive = (what: string, values: readonly number[]) => {
    if (!values.every((v) => Number.isInteger(v) && v > 0)) fail('non-positive', `${what} must be positive integers, got ${fmt(values)}`);
  };
  const image = (): [number, number, number] => {
    const s = ins[0]!;
    if (s.length !== 3) fail('input-rank', `${layer.kind} needs an (h, w, c) input, got ${fmt(s)}${s.length === 1 ? ' (a flattened vector)' : ''}`);
    return s as [number, number, number];
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

  switch (layer.kind) {
    case 'input':
      positive('shape', layer.shape);
      return [...layer.shape];
    case 'conv2d': {
      const c = image()[2];
      positive('filters', [layer.filters]);
      positive('groups', [layer.groups]);
      if (c % layer.groups !== 0) fail('groups', `groups ${layer.groups} does not divide the ${c} input channels`);
      if (layer.filters % layer.groups !== 0) fail('groups', `groups ${layer.groups} does not divide the ${layer.filters} filters`);
      const [oh, ow] = windowed('kernel', layer.kernelSize, layer.strides, layer.dilation, layer.padding);
      return [oh, ow, layer.filters];
    }
    case 'maxPool2d':
    case 'avgPool2d': {
      const [oh, ow] = windowed('pool', layer.poolSize, layer.strides, [1, 1], layer.padding);
      return [oh, ow, image()[2]];
    }
    case 'dense': {
      positive('units', [layer.units]);
      const s = ins[0]!;
      if (s.length !== 1) {
        fail('dense-input-rank', `dense needs a 1-D input, got ${fmt(s)}; add a flatten (or globalAvgPool2d) layer before it (Keras would silently apply it to the last axis only)`);
      }
      return [layer.units];
    }
    case 'globalAvgPool2d':
      return [image()[2]];
    case 'zeroPad2d': {
      const { top, bottom, left, right } = layer.padding;
      if ([top, bottom, left, right].some((p) => p < 0)) fail('non-positive', `padding must not be negative, got ${JSON.stringify(layer.padding)}`);
      const [h, w, c] = image();
      return [h + top + bottom, w + left + right, c];
    }
    case 'batchNorm':
      if (!(layer.epsilon > 0)) fail('non-positive', `epsilon must be positive, got ${layer.epsilon}`);
      return [...ins[0]!];
    case 'lrn':
      positive('depthRadius', [layer.depthRadius]);
      return [...image()];
    case 'activation':
      return [...ins[0]!];
    case 'dropout':
      if (!(layer.rate >= 0 && layer.rate < 1)) fail('dropout-rate', `rate must be in [0, 1), got ${layer.rate}`);
      return [...ins[0]!];
    case 'flatten':
      return [ins[0]!.reduce((a, b) => a * b, 1)];
    case 'concat': {
      const first = ins[0]!;
      for (const [i, s] of ins.entries()) {
        if (s.length !== first.length || s.slice(0, -1).some((d, k) => d !== first[k])) {
          fail('concat-mismatch', `inputs '${layer.inputs[0]}' ${fmt(first)} and '${layer.inputs[i]}' ${fmt(s)} differ in more than the channel axis`);
        }
      }
      return [...first.slice(0, -1), ins.reduce((a, s) => a + s[s.length - 1]!, 0)];
    }
    case 'add': {
      const first = ins[0]!;
      for (const [i, s] of ins.entries()) {
        if (s.length !== first.length || s.some((d, k) => d !== first[k])) {
          fail('add-mismatch', `inputs '${layer.inputs[0]}' ${fmt(first)} and '${layer.inputs[i]}' ${fmt(s)} have different shapes`);
        }
      }
      return [...first];
    }
    case 'resize': {
      positive('size', layer.size);
      return [layer.size[0], layer.size[1], image()[2]];
    }
  }
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
