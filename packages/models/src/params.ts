// Parameter tensors in canonical Keras layout and order, so weight files and adapters agree on names and shapes.
import { kindOf } from './kinds.js';
import { inferShapes } from './shapes.js';
import type { FeatureShape, ModelSpec, ParamInfo } from './types.js';

/** Every parameter tensor of the model, layer by layer, in Keras' weight order. */
export function paramInfos(spec: ModelSpec, shapes: Map<string, FeatureShape> = inferShapes(spec)): ParamInfo[] {
  const out: ParamInfo[] = [];
  for (const layer of spec.layers) {
    const frozen = layer.trainable === false;
    const add = (param: ParamInfo['param'], shape: number[], trainable = true) =>
      out.push({ name: `${layer.name}/${param}`, layer: layer.name, param, shape, trainable: trainable && !frozen });
    const inShape = layer.inputs[0] !== undefined ? shapes.get(layer.inputs[0])! : [];
    for (const p of kindOf(layer).params?.(layer, inShape) ?? []) add(p.param, p.shape, p.trainable);
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
