// What a fine-tuned checkpoint records in state.json's `extra`, so a checkpoint written by `convzoo finetune` or by a
// page (checkpointFiles) is read alike by `convzoo eval`, `classify --checkpoint` and `export`: the class names and
// the input recipe travel with the weights, as a pretrained weight tag's do.
import type { ImageRecipe } from '@convzoo/models';

export const FINETUNE_TASK = 'finetune';

export interface FinetuneRecord {
  task: typeof FINETUNE_TASK;
  /** The architecture (`resnet50`) and the backbone's weight tag id (`resnet50.keras_imagenet`). */
  model: string;
  weights: string;
  classNames: string[];
  /** How an image becomes the input (the tag's recipe at the fine-tuned input size: recipeAtSize). */
  recipe: ImageRecipe;
  unfreeze: number;
}

export function finetuneRecord(r: Omit<FinetuneRecord, 'task'>): FinetuneRecord {
  return { task: FINETUNE_TASK, model: r.model, weights: r.weights, classNames: [...r.classNames], recipe: r.recipe, unfreeze: r.unfreeze };
}

/**
 * The record in a checkpoint's `extra`: undefined when it is not a fine-tuned checkpoint, an Error naming the missing
 * field when it claims to be one but lacks its class names or recipe.
 */
export function readFinetuneRecord(extra: Readonly<Record<string, unknown>> | undefined): FinetuneRecord | Error | undefined {
  if (extra?.task !== FINETUNE_TASK) return undefined;
  const { classNames, recipe } = extra;
  if (!Array.isArray(classNames) || classNames.length < 2 || !classNames.every((c) => typeof c === 'string'))
    return new Error('no class names (extra.classNames)');
  if (typeof recipe !== 'object' || recipe === null || !Array.isArray((recipe as ImageRecipe).inputShape)) return new Error('no input recipe (extra.recipe)');
  return {
    task: FINETUNE_TASK,
    model: String(extra.model ?? ''),
    weights: String(extra.weights ?? ''),
    classNames: classNames as string[],
    recipe: recipe as ImageRecipe,
    unfreeze: typeof extra.unfreeze === 'number' ? extra.unfreeze : 0,
  };
}
