// What `convzoo finetune` starts from: a registered model with pretrained weights (its tag's input recipe, the
// weights fetched once), or an ONNX file (PyTorch's, Keras'): its own weights, its head cut off where the
// image-shaped features end (headlessBackbone), its input size, and the preprocessing given by --preprocessing.
import type { WeightMap } from '@convzoo/backend';
import { getModel, type ImageRecipe, type ModelSpec, type Shape3 } from '@convzoo/models';
import { FinetuneError, headlessBackbone, recipeAtSize } from '@convzoo/train';
import { getPretrained, listPretrained, type PretrainedWeights } from '@convzoo/weights';
import { CliError, EXIT, type CommandIO } from './command.js';
import { parseInputShape } from './model-target.js';
import { loadOnnxFile } from './onnx-source.js';
import { ensureWeightsFetched } from './weights-fetch.js';

export interface FinetuneBase {
  /** The backbone without its head, pooled globally (includeTop: false, pooling 'avg'). */
  backbone: ModelSpec;
  inputShape: Shape3;
  recipe: ImageRecipe;
  /** Said with the image sizes: whose recipe resizes them. */
  recipeOf: string;
  /** Recorded in the checkpoint as the backbone's weights. */
  weightsId: string;
  loadWeights(io: CommandIO): Promise<WeightMap>;
}

type BaseValues = { weights?: string | undefined; input?: string | undefined; offline?: boolean | undefined; preprocessing?: string | undefined };

export const PREPROCESSING_MODES = ['torch', 'tf', 'caffe'] as const;

function resolveEntry(model: string, weights: string | undefined): PretrainedWeights {
  const tag = weights ?? listPretrained().find((e) => e.model === model)?.tag;
  if (tag === undefined) {
    const have = [...new Set(listPretrained().map((e) => e.model))].join(', ');
    throw new CliError(`${model} has no pretrained weights to fine-tune from; models with weights: ${have}, or an .onnx file`);
  }
  try {
    return getPretrained(model, tag);
  } catch (e) {
    throw new CliError(`${model}${weights ? ` --weights ${weights}` : ''}: ${(e as Error).message}`);
  }
}

export function registeredBase(model: string, values: BaseValues): FinetuneBase {
  if (values.preprocessing !== undefined) throw new CliError(`--preprocessing applies to .onnx files; ${model}'s weights bring their recipe`);
  const entry = resolveEntry(model, values.weights);
  const inputShape: Shape3 = values.input !== undefined ? parseInputShape(values.input) : (entry.meta.recipe.inputShape as Shape3);
  let backbone: ModelSpec;
  try {
    backbone = getModel(model, { weights: entry.tag, includeTop: false, pooling: 'avg', inputShape });
  } catch (e) {
    throw new CliError(`--input ${values.input}: ${(e as Error).message}`);
  }
  return {
    backbone,
    inputShape,
    recipe: recipeAtSize(entry.meta.recipe, inputShape),
    recipeOf: `${entry.id}'s recipe`,
    weightsId: entry.id,
    async loadWeights(io) {
      await ensureWeightsFetched(entry, { offline: values.offline ?? false, io });
      try {
        return (await entry.load({ includeTop: false, pooling: 'avg' })).weights;
      } catch (e) {
        throw new CliError((e as Error).message, EXIT.failure);
      }
    },
  };
}

/**
 * An ONNX file's recipe: its input size, torchvision's resize (shorter side to 256/224 of it, centre crop), and
 * --preprocessing (default torch: /255, ImageNet mean and std, as torchvision's weights expect).
 */
export async function onnxBase(path: string, values: BaseValues): Promise<FinetuneBase> {
  for (const option of ['weights', 'input'] as const)
    if (values[option] !== undefined) throw new CliError(`--${option} applies to registered models; the ONNX file '${path}' brings its own`);
  const preprocessing = values.preprocessing ?? 'torch';
  if (!(PREPROCESSING_MODES as readonly string[]).includes(preprocessing))
    throw new CliError(`--preprocessing must be one of ${PREPROCESSING_MODES.join(', ')}, got '${preprocessing}'`);
  const source = await loadOnnxFile(path);
  let backbone: ReturnType<typeof headlessBackbone>;
  try {
    backbone = headlessBackbone(source.spec, source.weights);
  } catch (e) {
    if (e instanceof FinetuneError) throw new CliError(`${path}: ${e.message}`, EXIT.failure);
    throw e;
  }
  const inputShape = (source.spec.layers[0] as { shape: Shape3 }).shape;
  const recipe: ImageRecipe = {
    inputShape: [...inputShape],
    resize: 'bilinear',
    crop: 'center',
    resizeShorter: Math.round((inputShape[0] * 256) / 224),
    preprocessing: preprocessing as ImageRecipe['preprocessing'],
  };
  return {
    backbone: backbone.spec,
    inputShape,
    recipe,
    recipeOf: `--preprocessing ${preprocessing}`,
    weightsId: path,
    loadWeights: async () => backbone.weights,
  };
}
