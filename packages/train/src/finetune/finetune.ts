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
import { paramInfos, type ModelSpec } from '@convzoo/models';
import { fit } from '../fit.js';
import type { Callback, History, Samples } from '../types.js';
import { CachedFeaturesModel } from './cached-features-model.js';
import { FinetuneError } from './errors.js';
import { finetuneSpec, type FinetuneSpec } from './finetune-spec.js';

/** One image as the model input [1, h, w, c] (the backbone's recipe already applied), or a loader of it. */
export type FinetuneImage = Tensor | (() => Promise<Tensor> | Tensor);

export interface FinetuneOptions {
  /** The pretrained backbone without its head (includeTop: false, pooling 'avg') and its weights. */
  backbone: { spec: ModelSpec; weights: WeightMap };
  images: readonly FinetuneImage[];
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

/** The weights of `spec`'s parameters found in `weights`. */
function weightsOf(spec: ModelSpec, weights: WeightMap): WeightMap {
  const out: WeightMap = {};
  for (const p of paramInfos(spec)) {
    const w = weights[p.name];
    if (w) out[p.name] = w;
  }
  return out;
}

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
  if (o.images.length !== o.labels.length) throw new FinetuneError(`${o.images.length} images but ${o.labels.length} labels`);
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

/** Runs the frozen part once over every image, `batch` at a time: the cached features, [n, ...featureShape]. */
async function extractFeatures(o: FinetuneOptions, split: FinetuneSpec, frozenWeights: WeightMap): Promise<Tensor> {
  const batch = o.featureBatchSize ?? 16;
  const model = await compile(split.frozen, {
    backend: o.backend ?? 'auto',
    weights: frozenWeights,
    batchSize: Math.min(batch, o.images.length),
    ...(o.onBackend ? { onBackend: o.onBackend } : {}),
  });
  const per = split.featureShape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(o.images.length * per);
  try {
    for (let at = 0; at < o.images.length; at += batch) {
      const group = await Promise.all(o.images.slice(at, at + batch).map((img) => (typeof img === 'function' ? img() : img)));
      const size = group[0]!.data.length;
      const x = new Float32Array(size * group.length);
      group.forEach((t, i) => {
        if (t.data.length !== size)
          throw new FinetuneError(`image ${at + i} has shape [${t.shape.join(', ')}], unlike image ${at} [${group[0]!.shape.join(', ')}]`);
        x.set(t.data, i * size);
      });
      const [features] = await model.predict({ shape: [group.length, ...group[0]!.shape.slice(1)], data: x });
      out.set(features!.data, at * per);
      o.onFeatures?.(at + group.length, o.images.length);
    }
  } finally {
    model.dispose();
  }
  return { shape: [o.images.length, ...split.featureShape], data: out };
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
  const features = await extractFeatures(o, split, frozenWeights);
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
