// The Teach section's backbone: the photo section's ResNet50 (pinned Keras ImageNet weights), or a user's own ONNX
// classifier (PyTorch's, Keras') imported in the page (importOnnx) with its head cut off where its image-shaped
// features end (headlessBackbone), as `convzoo finetune model.onnx` does: its input size, torchvision's resize and
// the preprocessing the user picks (default torch, for PyTorch exports).
import type { WeightMap, WeightsSource } from '@convzoo/backend';
import { importOnnx, OnnxImportError } from '@convzoo/backend-onnx';
import { type ImageRecipe, type ImageTransforms, imageTransforms, type PreprocessPreset } from '@convzoo/image/browser';
import { getModel, type ModelSpec } from '@convzoo/models';
import { FinetuneError, headlessBackbone } from '@convzoo/train/browser';
import { pretrainedKey } from '@convzoo/weights/browser';
import { BACKBONE_CACHE, RESNET, resnetWeights } from './models.js';

export type { PreprocessPreset as Preprocessing } from '@convzoo/image/browser';

export interface TeachBackbone {
  /** Said in the page: 'ResNet50' or the file's name. */
  label: string;
  /** The checkpoint's `model` and `weights` (finetuneRecord), and the downloads' name. */
  model: string;
  weightsId: string;
  /** Without its head, pooled globally (includeTop: false, pooling 'avg'). */
  spec: ModelSpec;
  recipe: ImageRecipe;
  transforms: ImageTransforms;
  /** The weights in memory (an imported file's), or a pinned source loaded only when needed (ResNet50's). */
  weights: { map: WeightMap } | { source: WeightsSource };
  /** The backbone's weights, for the exports. */
  load(): Promise<WeightMap>;
}

export const RESNET_BACKBONE: TeachBackbone = {
  label: 'ResNet50',
  model: RESNET.model,
  weightsId: RESNET.id,
  spec: getModel(RESNET.model, { weights: RESNET.tag, includeTop: false, pooling: 'avg' }),
  recipe: RESNET.meta.recipe,
  transforms: RESNET.transforms,
  // The pinned files by key, as the photo section's ResNet50: the ONNX backends keep the compiled frozen part in
  // Cache Storage (cleared with the weights), so a later visit starts from it and reads no weights.
  weights: { source: { key: pretrainedKey(RESNET), load: () => resnetWeights.load(), cacheDir: BACKBONE_CACHE } },
  load: () => resnetWeights.load(),
};

/** A file importOnnx or headlessBackbone refuses, named with the file (the importer names the node, op and opset). */
export class BackboneFileError extends Error {
  constructor(file: string, detail: string) {
    super(`${file} cannot be used as the backbone: ${detail}`);
    this.name = 'BackboneFileError';
  }
}

/** An ONNX classifier's bytes as a backbone. */
export function onnxBackbone(bytes: Uint8Array, file: string, preprocessing: PreprocessPreset): TeachBackbone {
  const name = file.replace(/\.onnx$/i, '');
  let backbone: ReturnType<typeof headlessBackbone>;
  try {
    const imported = importOnnx(bytes, { name });
    backbone = headlessBackbone(imported.spec, imported.weights);
  } catch (e) {
    if (e instanceof OnnxImportError || e instanceof FinetuneError) throw new BackboneFileError(file, e.message);
    throw new BackboneFileError(file, `not an ONNX model this page can read (${(e as Error).message})`);
  }
  const inputShape = (backbone.spec.layers[0] as { shape: [number, number, number] }).shape;
  const recipe: ImageRecipe = {
    inputShape: [...inputShape],
    resize: 'bilinear',
    crop: 'center',
    resizeShorter: Math.round((inputShape[0] * 256) / 224),
    preprocessing,
  };
  const map = backbone.weights;
  return {
    label: file,
    model: name,
    weightsId: file,
    spec: backbone.spec,
    recipe,
    transforms: imageTransforms(recipe),
    weights: { map },
    load: async () => map,
  };
}
