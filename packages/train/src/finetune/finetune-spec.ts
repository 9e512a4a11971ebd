// The network fine-tuning trains: a pretrained backbone (no head, global average pool) with a new softmax head, its
// layers frozen up to the cut as Keras' `layer.trainable = False` does, BatchNorm frozen everywhere. Browser-safe.
import type { ImageRecipe, Layer, ModelSpec } from '@convzoo/models';
import { FinetuneError } from './errors.js';
import { backboneStages, splitSpec, type SplitSpec, type Stage } from './stages.js';

/** The new head's layer (Keras' name for a classifier). */
export const HEAD_LAYER = 'predictions';

export interface FinetuneSpecOptions {
  /** Number of classes of the new head (>= 2). */
  classes: number;
  /** Train the last N stages of the backbone as well as the head (default 0: the backbone is frozen). */
  unfreeze?: number;
}

export interface FinetuneSpec extends SplitSpec {
  /** The whole network: backbone + head, frozen layers marked `trainable: false`. */
  spec: ModelSpec;
  /** The backbone's stages (what --unfreeze counts). */
  stages: Stage[];
  /** The stages that train (the last `unfreeze`). */
  unfrozen: string[];
}

/**
 * Backbone + new head, cut where the frozen part ends: after the whole backbone's last stage when nothing is unfrozen
 * (features cached at its output, before the pool), else before the last `unfreeze` stages. BatchNorm layers stay in
 * inference mode in the unfrozen stages too (moving statistics, fixed gamma and beta), as Keras' fine-tuning guide
 * does by calling the base model with `training=False`: a few hundred photos are no batch statistics to learn from.
 * Unlike Keras, their gamma and beta stay fixed too (a spec's BatchNorm is trainable in training mode or frozen).
 */
export function finetuneSpec(backbone: ModelSpec, options: FinetuneSpecOptions): FinetuneSpec {
  const { classes } = options;
  const unfreeze = options.unfreeze ?? 0;
  if (!Number.isInteger(classes) || classes < 2) throw new FinetuneError(`a classifier needs at least 2 classes, got ${classes}`);
  if (backbone.outputs.length !== 1)
    throw new FinetuneError(`backbone '${backbone.name}' has ${backbone.outputs.length} outputs; fine-tuning needs one (build it with includeTop: false)`);
  const stages = backboneStages(backbone);
  if (!Number.isInteger(unfreeze) || unfreeze < 0 || unfreeze >= stages.length) {
    throw new FinetuneError(
      `unfreeze must be an integer in 0..${stages.length - 1} (${backbone.name} has ${stages.length} stages: ${stages.map((s) => s.name).join(', ')}), got ${unfreeze}`,
    );
  }
  const cutStage = stages[stages.length - 1 - unfreeze]!;
  const unfrozen = stages.slice(stages.length - unfreeze).map((s) => s.name);
  const cutIndex = backbone.layers.findIndex((l) => l.name === cutStage.end);
  const out = backbone.outputs[0]!;
  if (backbone.layers.some((l) => l.name === HEAD_LAYER))
    throw new FinetuneError(`backbone '${backbone.name}' already has a layer '${HEAD_LAYER}': build it without its head (includeTop: false)`);
  const layers: Layer[] = backbone.layers.map((l, i) => (i <= cutIndex || l.kind === 'batchNorm' ? { ...l, trainable: false } : { ...l }));
  layers.push({ kind: 'dense', name: HEAD_LAYER, inputs: [out], units: classes, useBias: true, activation: 'softmax' } as Layer);
  const spec: ModelSpec = {
    ...backbone,
    outputs: [HEAD_LAYER],
    layers,
    meta: { ...backbone.meta, finetuned: `${backbone.name}: new ${classes}-class head${unfreeze ? `, last ${unfreeze} stage(s) trained` : ''}` },
  };
  return { ...splitSpec(spec, cutStage.end), spec, stages, unfrozen };
}

/**
 * A weight tag's input recipe at another input size: the crop keeps the tag's ratio to the resize (224 of 256), so a
 * 112x112 input resizes the shorter side to 128 first.
 */
export function recipeAtSize(recipe: ImageRecipe, inputShape: [number, number, number]): ImageRecipe {
  const [h] = inputShape;
  const ratio = recipe.resizeShorter !== undefined ? recipe.resizeShorter / recipe.inputShape[0] : undefined;
  return { ...recipe, inputShape: [...inputShape], ...(ratio !== undefined ? { resizeShorter: Math.round(h * ratio) } : {}) };
}
