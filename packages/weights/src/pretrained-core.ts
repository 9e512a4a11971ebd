// The pretrained entries, free of Node: the weight tags of @convzoo/models' registry (files pinned by sha256, the
// builder options, recipe, labels id) made runnable, and how the fetched files become a spec + weights.
// Browser-safe (no fs): the Node entry adds fetching and the cache (pretrained.ts), a web page fetches the same files
// itself (@convzoo/weights/browser).
import type { WeightMap } from '@convzoo/backend';
import { type ImageRecipe, type ImageTransforms, imageTransforms } from '@convzoo/image/browser';
import { findWeightTag, getModel, listWeightTags, weightsBuildOptions, WeightsOptionError, type ModelSpec, type WeightTagInfo } from '@convzoo/models';
import { decodePredictions, type Prediction } from './decode.js';
import type { NpmWeightsSource } from './fetch.js';
import { assertWeightsMatchSpec } from './match.js';
import { checkFileAgreesWithTag, dropClassifier, LABEL_SETS, weightsByLayerNames } from './tag-files.js';
import { WeightImportError, parseTfjsModelJson, readTfjsWeights } from './tfjs-layers.js';

/** How an image becomes the model's input: @convzoo/image's recipe (re-exported here, where it used to live). */
export type { ImageRecipe };

export interface PretrainedMeta {
  classes: number;
  labels: readonly string[];
  recipe: ImageRecipe;
  /** Reported by the source (ImageNet validation). */
  accuracy?: { top1: number; top5: number };
  license: string;
  description: string;
}

export interface PretrainedOptions {
  /** Must equal the weights' classes when the head is kept. */
  classes?: number;
  /** false drops the classifier head and its weights (features only, as Keras' include_top). Default true. */
  includeTop?: boolean;
  /** With includeTop false: 'avg' ends with the global average pool; omitted, the spec ends at the last block. */
  pooling?: 'avg';
  /** Where fetched packages live (default $CONVZOO_CACHE or ~/.cache/convzoo). */
  cacheDir?: string;
}

/** A weight tag of the registry as the loader reads it (pretrainedEntry adds the runnable parts). */
export interface PretrainedEntryData {
  /** convzoo model name (`getModel` / builder), e.g. `resnet50`. */
  model: string;
  /**
   * The weights' name as convzoo 0.1 spelled it (`keras-imagenet`), kept in messages and in the ids exported files
   * carry (ONNX metadata `convzoo.weights`); the tag's first alias, else the tag.
   */
  name: string;
  /** The canonical tag (`keras_imagenet`); `id` is `<model>.<tag>`. */
  tag: string;
  id: string;
  /** The registry's record: builder options, format, classifier and first-conv names. */
  weightTag: WeightTagInfo;
  source: NpmWeightsSource;
  meta: PretrainedMeta;
  /** The path (inside the source package) of the tfjs-layers model.json; shards are relative to it. */
  modelJson: string;
}

/**
 * A pretrained entry without I/O: what a browser can use. Like torchvision's weights enums it carries the runnable
 * preprocessing and the labels, so classifying is wiring: `entry.decode(probs(entry.transforms(pixels)))`.
 */
export interface PretrainedEntry extends PretrainedEntryData {
  /** Decoded pixels -> the model input (resize, crop, Keras preprocess_input), from `meta.recipe`. */
  transforms: ImageTransforms;
  /** The class names, in the order of the model's outputs (`meta.labels`). */
  labels: readonly string[];
  /** Keras' decode_predictions for one image: the `top` (default 5) most probable classes with their labels. */
  decode(probabilities: Float32Array, top?: number): Prediction[];
}

/** An entry's data with its transforms, labels and decoder. */
export function pretrainedEntry(data: PretrainedEntryData): PretrainedEntry {
  const { labels } = data.meta;
  return { ...data, transforms: imageTransforms(data.meta.recipe), labels, decode: (probabilities, top = 5) => decodePredictions(probabilities, labels, top) };
}

/** The loader's view of a registry weight tag: its files, recipe and labels (the list the tag's id names). */
export function entryDataOf(tag: WeightTagInfo): PretrainedEntryData {
  return {
    model: tag.model,
    name: tag.aliases[0] ?? tag.tag,
    tag: tag.tag,
    id: tag.id,
    weightTag: tag,
    source: tag.files,
    modelJson: tag.format.modelJson,
    meta: {
      classes: tag.build.classes,
      labels: LABEL_SETS[tag.labels],
      recipe: tag.transforms,
      ...(tag.accuracy ? { accuracy: tag.accuracy } : {}),
      license: tag.license,
      description: tag.description,
    },
  };
}

/** Every weight tag of the registry, runnable (all are tfjs-layers files today). */
export const PRETRAINED_ENTRIES: readonly PretrainedEntry[] = listWeightTags().map((t) => pretrainedEntry(entryDataOf(t)));

/** The entry for `model` + `weights` (the tag, e.g. `keras_imagenet`, or an alias, `keras-imagenet`); unknown names fail listing what exists. */
export function getPretrainedEntry(model: string, weights: string): PretrainedEntry {
  const forModel = PRETRAINED_ENTRIES.filter((e) => e.model === model);
  if (forModel.length === 0) {
    throw new WeightImportError(`no pretrained weights for model '${model}'; available: ${[...new Set(PRETRAINED_ENTRIES.map((e) => e.model))].join(', ')}`);
  }
  try {
    const tag = findWeightTag(
      model,
      forModel.map((e) => e.weightTag),
      weights,
    );
    return forModel.find((e) => e.tag === tag.tag)!;
  } catch (e) {
    if (!(e instanceof WeightsOptionError)) throw e;
    const names = forModel.map((e) => `${e.name} (tag ${e.id})`).join(', ');
    throw new WeightImportError(`model '${model}' has no weights '${weights}'; available: ${names}`);
  }
}

/** Rejects options the weights cannot honour (the registry's rules: @convzoo/models weightsBuildOptions). */
export function checkOptions(entry: PretrainedEntryData, options: PretrainedOptions): void {
  const { classes, includeTop, pooling } = options;
  weightsBuildOptions(entry.model, entry.name, entry.weightTag, { classes, includeTop, pooling });
}

/**
 * Builds the spec and matching weights from an entry's files (paths as in `source.files`, already sha256-checked by
 * the caller). The same code path for the Node cache and a browser's Cache Storage.
 */
export async function pretrainedFromFiles(
  entry: PretrainedEntryData,
  files: ReadonlyMap<string, Uint8Array>,
  options: PretrainedOptions = {},
): Promise<{ spec: ModelSpec; weights: WeightMap }> {
  const { spec, model, where } = pretrainedSpec(entry, files.get(entry.modelJson), options);
  const dir = entry.modelJson.slice(0, entry.modelJson.lastIndexOf('/') + 1);
  const raw = await readTfjsWeights(
    model,
    async (p) => {
      const bytes = files.get(`${dir}${p}`);
      if (!bytes) throw new WeightImportError(`${where}: shard '${p}' is not among the entry's pinned files`);
      return bytes;
    },
    where,
  );
  const weights = weightsByLayerNames(raw, entry.weightTag, where);
  if (!(options.includeTop ?? true)) dropClassifier(weights, entry.weightTag);
  assertWeightsMatchSpec(spec, weights, where);
  return { spec, weights };
}

/**
 * The entry's spec from its model.json alone (the shards are not needed): what a cached compile starts from. The
 * registry builds it from the tag (getModel with `weights`); the file must agree with the tag.
 */
export function pretrainedSpec(
  entry: PretrainedEntryData,
  modelJson: Uint8Array | undefined,
  options: PretrainedOptions = {},
): { spec: ModelSpec; model: ReturnType<typeof parseTfjsModelJson>; where: string } {
  checkOptions(entry, options);
  const where = `${entry.source.package}@${entry.source.version}/${entry.modelJson}`;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(modelJson));
  } catch (e) {
    throw new WeightImportError(`${where}: not valid JSON (${(e as Error).message})`);
  }
  const model = parseTfjsModelJson(json, where);
  checkFileAgreesWithTag(entry.weightTag, model.modelTopology, where);
  const spec = getModel(entry.model, {
    weights: entry.tag,
    includeTop: options.includeTop ?? true,
    ...(options.pooling ? { pooling: options.pooling } : {}),
  });
  return { spec, model, where };
}

/** What identifies an entry's weights under `options`: its pinned files' sha256s (no file is read). */
export function pretrainedKey(entry: PretrainedEntryData, options: PretrainedOptions = {}): string {
  const files = Object.entries(entry.source.files).sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify({ source: `${entry.source.package}@${entry.source.version}`, files, includeTop: options.includeTop ?? true });
}
