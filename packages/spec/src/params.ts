// Parameter tensors in canonical Keras layout and order, so weight files and adapters agree on names and shapes.
import { inferShapes } from './shapes.js';
import type { FeatureShape, ModelSpec, ParamInfo } from './types.js';

const lastDim = (s: FeatureShape) => s[s.length - 1]!;

/** Every parameter tensor of the model, layer by layer, in Keras' weight order. */
export function paramInfos(spec: ModelSpec, shapes: Map<string, FeatureShape> = inferShapes(spec)): ParamInfo[] {
  const out: ParamInfo[] = [];
  for (const layer of spec.layers) {
    const frozen = layer.trainable === false;
    const add = (param: ParamInfo['param'], shape: number[], trainable = true) =>
      out.push({ name: `${layer.name}/${param}`, layer: layer.name, param, shape, trainable: trainable && !frozen });
    const inShape = layer.inputs[0] !== undefined ? shapes.get(layer.inputs[0])! : [];
    switch (layer.kind) {
      case 'conv2d':
        add('kernel', [...layer.kernelSize, lastDim(inShape) / layer.groups, layer.filters]);
        if (layer.useBias) add('bias', [layer.filters]);
        break;
      case 'dense':
        add('kernel', [lastDim(inShape), layer.units]);
        if (layer.useBias) add('bias', [layer.units]);
        break;
      case 'batchNorm': {
        const c = lastDim(inShape);
        if (layer.scale) add('gamma', [c]);
        if (layer.center) add('beta', [c]);
        // Keras keeps the moving statistics as non-trainable weights: updated by training, never by gradients.
        add('moving_mean', [c], false);
        add('moving_variance', [c], false);
        break;
      }
      default:
        break;
    }
  }
  return out;
}

export const paramSize = (p: Pick<ParamInfo, 'shape'>) => p.shape.reduce((a, b) => a * b, 1);

export interface ParamCount {
  total: number;
  trainable: number;
  nonTrainable: number;
}

/** Parameter totals as Keras' summary reports them. */
export function countParams(spec: ModelSpec): ParamCount {
  let trainable = 0;
  let nonTrainable = 0;
  for (const p of paramInfos(spec)) {
    if (p.trainable) trainable += paramSize(p);
    else nonTrainable += paramSize(p);
  }
  return { total: trainable + nonTrainable, trainable, nonTrainable };
}
