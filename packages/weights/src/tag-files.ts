// What a weight tag (@convzoo/models) says about its files, held against the files themselves: the tag builds the
// spec, so a model.json that disagrees (another BatchNorm epsilon, another input) would load weights the spec does
// not compute as trained. Also the per-format parts: layer names in the file, and dropping the classifier.
import type { Tensor, WeightMap } from '@convzoo/backend';
import type { LabelSetId, WeightTag, WeightTagInfo } from '@convzoo/models';
import { IMAGENET_LABELS } from './imagenet-labels.js';
import { kerasBatchNormEpsilon, renameKerasLegacyResNet } from './keras-resnet.js';
import { WeightImportError } from './tfjs-layers.js';

/** The label lists tags refer to by id (a Record, so a new id in models fails to compile here until it is added). */
export const LABEL_SETS: Readonly<Record<LabelSetId, readonly string[]>> = { 'imagenet-1k': IMAGENET_LABELS };

/** A weight file that disagrees with its tag: names the tag, the field, and both values. */
export class WeightTagMismatchError extends WeightImportError {
  constructor(
    readonly tag: string,
    readonly field: string,
    readonly inFile: unknown,
    readonly inTag: unknown,
    where: string,
  ) {
    super(`${where}: ${field} is ${JSON.stringify(inFile)} in the file, but the tag ${tag} says ${JSON.stringify(inTag)}; the tag or the pinned file is wrong`);
    this.name = 'WeightTagMismatchError';
  }
}

interface KerasInputLayerJson {
  class_name?: string;
  config?: { batch_input_shape?: unknown; batch_shape?: unknown };
}

/** [h, w, c] of a Keras topology's InputLayer, or undefined when the file does not say (None dims). */
function kerasInputShape(modelTopology: unknown): number[] | undefined {
  const layers = (modelTopology as { model_config?: { config?: { layers?: KerasInputLayerJson[] } } } | undefined)?.model_config?.config?.layers;
  const input = Array.isArray(layers) ? layers.find((l) => l.class_name === 'InputLayer') : undefined;
  const shape = input?.config?.batch_input_shape ?? input?.config?.batch_shape;
  if (!Array.isArray(shape) || !shape.slice(1).every((d) => Number.isInteger(d))) return undefined;
  return shape.slice(1) as number[];
}

/** Throws WeightTagMismatchError when the model.json topology contradicts the tag's builder options. */
export function checkFileAgreesWithTag(tag: WeightTagInfo, modelTopology: unknown, where: string): void {
  const epsilon = tag.build.bnEpsilon;
  if (epsilon !== undefined) {
    const inFile = kerasBatchNormEpsilon(modelTopology, where);
    if (inFile !== epsilon) throw new WeightTagMismatchError(tag.id, 'the BatchNorm epsilon', inFile, epsilon, where);
  }
  const input = kerasInputShape(modelTopology);
  if (input !== undefined && input.join() !== tag.build.inputShape.join()) {
    throw new WeightTagMismatchError(tag.id, 'the input shape', input, tag.build.inputShape, where);
  }
}

/** The file's weights under the spec's parameter names. */
export function weightsByLayerNames(raw: Map<string, Tensor>, tag: WeightTag, where: string): WeightMap {
  switch (tag.format.layerNames) {
    case 'keras-2.2.4-resnet':
      return renameKerasLegacyResNet(raw, where);
    case 'keras':
      return Object.fromEntries(raw);
  }
}

/** Drops the tag's classifier layers' weights (features only: includeTop false). */
export function dropClassifier(weights: WeightMap, tag: WeightTag): void {
  for (const k of Object.keys(weights)) if (tag.classifier.includes(k.slice(0, k.lastIndexOf('/')))) delete weights[k];
}
