// Transfer learning, Keras-style (keras.io "Transfer learning & fine-tuning"): a pretrained backbone, frozen, with a
// new softmax head. What stays frozen runs once per image (feature caching); only the part after the cut trains, on
// the cached features. Browser-safe: images come in as model inputs (Tensors), however the caller decoded them.
import {
  compile,
  epochPermutation,
  gatherRows,
  type BackendChoice,
  type OptimizerConfig,
  type Tensor,
  type TrainingConfig,
  type WeightMap,
} from '@convzoo/backend';
import type { ModelSpec } from '@convzoo/models';
import { fit } from '../fit.js';
import type { Callback, History, Samples } from '../types.js';
import { CachedFeaturesModel } from './cached-features-model.js';
import { FinetuneError } from './errors.js';
import { createFeatureExtractor, weightsOf, type FinetuneImage } from './feature-extractor.js';
import { finetuneSpec, type FinetuneSpec } from './finetune-spec.js';

export interface FinetuneOptions {
  /** The pretrained backbone without its head (includeTop: false, pooling 'avg') and its weights. */
  backbone: { spec: ModelSpec; weights: WeightMap };
  /** The images, or `features` extracted beforehand by createFeatureExtractor (same backbone and unfreeze). */
  images?: readonly FinetuneImage[];
  features?: Tensor;
  /** Class index of each image (0..classNames.length - 1). */
  labels: ArrayLike<number>;
  classNames: readonly string[];
  /** Train the last N stages of the backbone too (default 0). */
  unfreeze?: number;
  /** A backend that trains, or 'auto' (default). The frozen part runs on the same one. */
  backend?: string;
  epochs?: number;
  /** Training batch (default 32). */
  batchSize?: number;
  /** Images per forward pass of the frozen part (default 16). */
  featureBatchSize?: number;
  /** Fraction of each class held out for validation, chosen by `seed` (default 0.2; 0 for none). */
  validationSplit?: number;
  seed?: number;
  /** Default Adam, learning rate 1e-3. */
  optimizer?: OptimizerConfig;
  callbacks?: Callback[];
  /** After each batch of features: images done so far, of `total`. */
  onFeatures?: (done: number, total: number) => void;
  onBackend?: (choice: BackendChoice) => void;
}

export interface FinetuneResult {
  /** The whole fine-tuned network (backbone + head) and all its weights: compile it to classify images. */
  spec: ModelSpec;
  weights: WeightMap;
  classNames: string[];
  history: History;
  /** How the network was cut (stages, what trained, the cached feature's shape). */
  split: FinetuneSpec;
  /** The training config the head trained with (recorded in checkpoints). */
  training: TrainingConfig;
  /** Images per split. */
  trainCount: number;
  validationCount: number;
  /** Seconds spent computing the cached features, and training on them. */
  featureSeconds: number;
  trainSeconds: number;
  backend: string;
}

const DEFAULT_OPTIMIZER: OptimizerConfig = { kind: 'adam', learningRate: 1e-3 };

/**
 * Holds out `fraction` of each class (at least one image of a class with two or more), in an order fixed by `seed`:
 * an image folder is sorted by class, so Keras' "last fraction" would validate on the last class only.
 */
export function stratifiedSplit(labels: ArrayLike<number>, classes: number, fraction: number, seed: number): { train: number[]; validation: number[] } {
  const train: number[] = [];
  const validation: number[] = [];
  const order = epochPermutation(labels.length, seed, -1);
  for (let c = 0; c < classes; c++) {
    const members = Array.from(order).filter((i) => labels[i] === c);
    const held = fraction > 0 ? Math.min(members.length - 1, Math.max(1, Math.round(members.length * fraction))) : 0;
    validation.push(...members.slice(0, held));
    train.push(...members.slice(held));
  }
  return { train: train.sort((a, b) => a - b), validation: validation.sort((a, b) => a - b) };
}

function oneHotRows(labels: ArrayLike<number>, indices: readonly number[], classes: number): Tensor {
  const data = new Float32Array(indices.length * classes);
  indices.forEach((i, row) => {
    data[row * classes + labels[i]!] = 1;
  });
  return { shape: [indices.length, classes], data };
}

function checkData(o: FinetuneOptions): void {
  const classes = o.classNames.length;
  const n = o.features ? o.features.shape[0]! : (o.images?.length ?? 0);
  if ((o.images === undefined) === (o.features === undefined))
    throw new FinetuneError('give images or features (extracted by createFeatureExtractor), one of the two');
  if (n !== o.labels.length) throw new FinetuneError(`${n} ${o.images ? 'images' : 'feature rows'} but ${o.labels.length} labels`);
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < o.labels.length; i++) {
    const l = o.labels[i]!;
    if (!(Number.isInteger(l) && l >= 0 && l < classes)) throw new FinetuneError(`label ${l} of image ${i} is not a class index 0..${classes - 1}`);
    counts[l]!++;
  }
  const empty = o.classNames.filter((_, c) => counts[c] === 0);
  if (empty.length > 0)
    throw new FinetuneError(`class${empty.length > 1 ? 'es' : ''} ${empty.map((n) => `'${n}'`).join(', ')} ha${empty.length > 1 ? 've' : 's'} no images`);
  const split = o.validationSplit ?? 0.2;
  if (!(split >= 0 && split < 1)) throw new FinetuneError(`validationSplit must be in [0, 1), got ${split}`);
  const lonely = o.classNames.filter((_, c) => counts[c]! < 2);
  if (split > 0 && lonely.length > 0) {
    throw new FinetuneError(
      `validation needs at least 2 images per class; ${lonely.map((n) => `'${n}'`).join(', ')} ha${lonely.length > 1 ? 've' : 's'} 1 (or set validationSplit 0)`,
    );
  }
}

async function extractAll(o: FinetuneOptions, images: readonly FinetuneImage[]): Promise<Tensor> {
  const extractor = await createFeatureExtractor({
    backbone: o.backbone,
    ...(o.unfreeze !== undefined ? { unfreeze: o.unfreeze } : {}),
    ...(o.backend !== undefined ? { backend: o.backend } : {}),
    batchSize: Math.min(o.featureBatchSize ?? 16, images.length),
    ...(o.onBackend ? { onBackend: o.onBackend } : {}),
  });
  try {
    return await extractor.extract(images, o.onFeatures);
  } finally {
    extractor.dispose();
  }
}

/**
 * Fine-tunes `backbone` on labelled images: builds backbone + new head (finetuneSpec), caches the frozen part's
 * output for every image, trains the rest with `fit` (callbacks see the whole network: a ModelCheckpoint saves it
 * complete), and returns the whole network's spec and weights.
 */
export async function finetune(o: FinetuneOptions): Promise<FinetuneResult> {
  checkData(o);
  const classes = o.classNames.length;
  const split = finetuneSpec(o.backbone.spec, { classes, ...(o.unfreeze !== undefined ? { unfreeze: o.unfreeze } : {}) });
  const frozenWeights = weightsOf(split.frozen, o.backbone.weights);
  const t0 = performance.now();
  const features = o.features ?? (await extractAll(o, o.images!));
  if (features.shape.slice(1).join() !== split.featureShape.join()) {
    throw new FinetuneError(
      `features of shape [${features.shape.slice(1).join(', ')}] per image, but the cut at '${split.cut}' gives [${split.featureShape.join(', ')}]`,
    );
  }
  const t1 = performance.now();

  const seed = o.seed ?? 0;
  const { train, validation } = stratifiedSplit(o.labels, classes, o.validationSplit ?? 0.2, seed);
  const samples = (idx: number[]): Samples => ({ x: gatherRows(features, idx), y: oneHotRows(o.labels, idx, classes) });
  const training: TrainingConfig = { optimizer: o.optimizer ?? DEFAULT_OPTIMIZER, loss: 'categoricalCrossentropy' };
  const batchSize = o.batchSize ?? 32;
  const trainable = await compile(split.trainable, {
    backend: o.backend ?? 'auto',
    training,
    seed,
    batchSize: Math.min(batchSize, train.length),
    weights: weightsOf(split.trainable, o.backbone.weights),
  });
  const model = new CachedFeaturesModel(split.spec, trainable, frozenWeights);
  try {
    const history = await fit(model, samples(train), {
      epochs: o.epochs ?? 10,
      batchSize,
      seed,
      ...(validation.length > 0 ? { validationData: samples(validation) } : {}),
      ...(o.callbacks ? { callbacks: o.callbacks } : {}),
    });
    const weights = await model.getWeights();
    return {
      spec: split.spec,
      weights,
      classNames: [...o.classNames],
      history,
      split,
      training,
      trainCount: train.length,
      validationCount: validation.length,
      featureSeconds: (t1 - t0) / 1000,
      trainSeconds: (performance.now() - t1) / 1000,
      backend: trainable.backend,
    };
  } finally {
    model.dispose();
  }
}
