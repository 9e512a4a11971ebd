// Cost of a network from its spec alone: parameters, multiply-accumulates, activation memory and receptive field
// per layer, with totals. Bytes assume float32, the precision every backend trains in.
import { asCompiled, type CompiledSpec } from './compiled.js';
import { kindOf } from './kinds.js';
import { paramSize } from './params.js';
import { receptiveFields, type ReceptiveField } from './receptive.js';
import type { FeatureShape, Layer, LayerKind, ModelSpec } from './types.js';

export const BYTES_PER_FLOAT = 4;

export interface LayerAnalysis {
  name: string;
  kind: LayerKind;
  inputs: string[];
  outputShape: FeatureShape;
  params: number;
  trainableParams: number;
  paramBytes: number;
  /** Multiply-accumulates per image (conv and dense; pooling, normalisation and activations count as 0). */
  macs: number;
  /** Output floats per image, and their bytes. */
  activations: number;
  activationBytes: number;
  receptiveField: ReceptiveField;
}

export interface ModelAnalysis {
  name: string;
  layers: LayerAnalysis[];
  totals: {
    params: number;
    trainableParams: number;
    nonTrainableParams: number;
    paramBytes: number;
    macs: number;
    /** Every layer's output (the input image included), as a forward pass keeps them for backprop. */
    activations: number;
    activationBytes: number;
  };
}

const product = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

function macsOf(layer: Layer, inShape: FeatureShape | undefined, outShape: FeatureShape): number {
  return kindOf(layer).macs?.(layer, inShape!, outShape) ?? 0;
}

export function analyze(specOrCompiled: ModelSpec | CompiledSpec): ModelAnalysis {
  const { spec, shapes, params } = asCompiled(specOrCompiled);
  const fields = receptiveFields(spec, shapes);
  const layers = spec.layers.map((layer): LayerAnalysis => {
    const own = params.filter((p) => p.layer === layer.name);
    const count = own.reduce((a, p) => a + paramSize(p), 0);
    const outputShape = shapes.get(layer.name)!;
    const activations = product(outputShape);
    return {
      name: layer.name,
      kind: layer.kind,
      inputs: [...layer.inputs],
      outputShape,
      params: count,
      trainableParams: own.filter((p) => p.trainable).reduce((a, p) => a + paramSize(p), 0),
      paramBytes: count * BYTES_PER_FLOAT,
      macs: macsOf(layer, layer.inputs[0] !== undefined ? shapes.get(layer.inputs[0]) : undefined, outputShape),
      activations,
      activationBytes: activations * BYTES_PER_FLOAT,
      receptiveField: fields.get(layer.name)!,
    };
  });
  const sum = (f: (l: LayerAnalysis) => number) => layers.reduce((a, l) => a + f(l), 0);
  const total = sum((l) => l.params);
  const trainable = sum((l) => l.trainableParams);
  return {
    name: spec.name,
    layers,
    totals: {
      params: total,
      trainableParams: trainable,
      nonTrainableParams: total - trainable,
      paramBytes: total * BYTES_PER_FLOAT,
      macs: sum((l) => l.macs),
      activations: sum((l) => l.activations),
      activationBytes: sum((l) => l.activationBytes),
    },
  };
}
