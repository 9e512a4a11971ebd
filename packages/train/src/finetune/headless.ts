// A whole classifier (an imported ONNX file: PyTorch's, Keras') as a fine-tuning backbone: its head cut off where the
// image-shaped features end and pooled globally, as Keras' `include_top=False, pooling='avg'` builds one. Browser-safe.
import type { WeightMap } from '@convzoo/backend';
import { inferShapes, type Layer, type ModelSpec } from '@convzoo/models';
import { FinetuneError } from './errors.js';

/** The name of the pool appended when the classifier flattens its features instead of pooling them globally. */
export const HEADLESS_POOL = 'avg_pool';

/**
 * `spec` up to its last image-shaped (h, w, c) layer, then that layer's global average pool (the file's own when it
 * has one there, e.g. torchvision's ResNet, MobileNetV2, GoogLeNet; else a new one, e.g. for VGG and AlexNet, whose
 * flatten and dense layers go with the head). Only the layers the features depend on are kept, and their weights.
 */
export function headlessBackbone(spec: ModelSpec, weights: WeightMap): { spec: ModelSpec; weights: WeightMap } {
  const shapes = inferShapes(spec);
  let at = -1;
  spec.layers.forEach((l, i) => {
    if (l.kind !== 'input' && shapes.get(l.name)?.length === 3) at = i;
  });
  if (at < 0) throw new FinetuneError(`model '${spec.name}' has no image-shaped layer to take features from`);
  const features = spec.layers[at]!;
  const own = spec.layers.find((l) => l.kind === 'globalAvgPool2d' && l.inputs.length === 1 && l.inputs[0] === features.name);
  const pool: Layer = own ?? ({ kind: 'globalAvgPool2d', name: HEADLESS_POOL, inputs: [features.name] } as Layer);
  const needed = new Set<string>();
  const byName = new Map(spec.layers.map((l) => [l.name, l]));
  const visit = (name: string) => {
    if (needed.has(name)) return;
    needed.add(name);
    for (const i of byName.get(name)?.inputs ?? []) visit(i);
  };
  visit(features.name);
  if (!own && byName.has(HEADLESS_POOL)) throw new FinetuneError(`model '${spec.name}' already has a layer '${HEADLESS_POOL}'`);
  const layers = [...spec.layers.slice(0, at + 1).filter((l) => needed.has(l.name)), pool];
  const kept = new Set(layers.map((l) => l.name));
  const backboneWeights = Object.fromEntries(Object.entries(weights).filter(([k]) => kept.has(k.slice(0, k.lastIndexOf('/')))));
  return { spec: { ...spec, layers, outputs: [pool.name] }, weights: backboneWeights };
}
