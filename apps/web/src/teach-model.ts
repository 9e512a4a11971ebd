// The Teach section's model: the backbone (teach-backbone.ts: the photo section's ResNet50, or a user's ONNX file)
// without its top, frozen, as a feature extractor (@convzoo/train's createFeatureExtractor: BatchNorm in inference
// mode, as Keras' fine-tuning guide), and a new softmax head trained on the cached features by `finetune`. The
// fine-tuned net is exported as the files `convzoo finetune` writes (checkpoint) and as ONNX.
import { compile, type Model, type OptimizerState, type Tensor, type WeightMap } from '@convzoo/backend';
import { toOnnx } from '@convzoo/backend-onnx';
import { paramInfos, type ModelSpec } from '@convzoo/models';
import {
  type Callback,
  checkpointFiles,
  createFeatureExtractor,
  type FeatureExtractor,
  type FinetuneResult,
  finetune,
  finetuneRecord,
  stratifiedSplit,
  type TrainContext,
} from '@convzoo/train/browser';
import type { TeachBackbone } from './teach-backbone.js';

const SEED = 0;

/** The weights of `spec`'s parameters found in `weights` (the pinned files also hold the 1000-class top). */
function weightsFor(spec: ModelSpec, weights: WeightMap): WeightMap {
  const out: WeightMap = {};
  for (const p of paramInfos(spec)) if (weights[p.name]) out[p.name] = weights[p.name]!;
  return out;
}

/** The frozen backbone on one backend, compiled once; features are extracted once per photo. */
let extractor: { backend: string; backbone: TeachBackbone; model: Promise<FeatureExtractor> } | undefined;

export function extractorOn(backend: string, backbone: TeachBackbone): Promise<FeatureExtractor> {
  if (!extractorReady(backend, backbone)) {
    const old = extractor?.model;
    void old?.then(
      (m) => m.dispose(),
      () => undefined,
    );
    const w = backbone.weights;
    const model = createFeatureExtractor({
      backbone: { spec: backbone.spec, weights: 'map' in w ? w.map : {} },
      ...('source' in w ? { weightsSource: w.source } : {}),
      backend,
      batchSize: 8,
    });
    model.catch(() => {
      if (extractor?.model === model) extractor = undefined;
    });
    extractor = { backend, backbone, model };
  }
  return extractor!.model;
}

export function extractorReady(backend: string, backbone: TeachBackbone): boolean {
  return extractor?.backend === backend && extractor.backbone === backbone;
}

export interface TeachOptions {
  backend: string;
  backbone: TeachBackbone;
  features: Tensor;
  labels: number[];
  classNames: string[];
  epochs: number;
  batchSize: number;
  /** Before the first step: how many steps the run will take. */
  onStart: (totalSteps: number) => void;
  onStep: (step: number, loss: number, accuracy: number) => void;
  onEpoch: (epoch: number, step: number, loss: number | undefined, accuracy: number | undefined) => void;
}

/** A trained head, ready to classify features and to be exported with its backbone. */
export interface Taught {
  result: FinetuneResult;
  head: Model;
  optimizer: OptimizerState;
  backend: string;
  backbone: TeachBackbone;
  validationSplit: number;
}

/** Holds out a fifth of each class for the curve's validation dots when every class has 5 photos or more. */
export const validationSplitFor = (counts: number[]): number => (Math.min(...counts) >= 5 ? 0.2 : 0);

/** Trains a new head on cached features (seconds: a 2048 x classes dense layer). */
export async function teach(o: TeachOptions): Promise<Taught> {
  const counts = o.classNames.map((_, c) => o.labels.filter((l) => l === c).length);
  const validationSplit = validationSplitFor(counts);
  const trainCount = stratifiedSplit(o.labels, o.classNames.length, validationSplit, SEED).train.length;
  const steps = Math.ceil(trainCount / o.batchSize);
  o.onStart(steps * o.epochs);
  let step = 0;
  let ctx: TrainContext | undefined;
  let optimizer: OptimizerState | undefined;
  const progress: Callback = {
    setContext: (c) => {
      ctx = c;
    },
    onBatchEnd: (_batch, _running, own) => {
      o.onStep(++step, own?.loss ?? Number.NaN, own?.accuracy ?? Number.NaN);
    },
    onEpochEnd: (epoch, logs) => o.onEpoch(epoch, (epoch + 1) * steps, logs.val_loss, logs.val_accuracy),
    // The optimizer's slots go into the checkpoint (as `convzoo finetune`'s), read before finetune disposes the model.
    onTrainEnd: async () => {
      optimizer = await ctx?.model.getOptimizerState();
    },
  };
  // The backbone's weights are not needed to train the head (features are cached): they join at export.
  const result = await finetune({
    backbone: { spec: o.backbone.spec, weights: {} },
    features: o.features,
    labels: o.labels,
    classNames: o.classNames,
    backend: o.backend,
    epochs: o.epochs,
    batchSize: o.batchSize,
    validationSplit,
    seed: SEED,
    callbacks: [progress],
  });
  const head = await compile(result.split.trainable, { backend: o.backend, weights: weightsFor(result.split.trainable, result.weights), strictWeights: true });
  if (!optimizer) throw new Error('the head trained but its optimizer state could not be read');
  return { result, head, optimizer, backend: o.backend, backbone: o.backbone, validationSplit };
}

/** The whole fine-tuned network's weights: the backbone's and the trained head's. */
async function allWeights(t: Taught): Promise<WeightMap> {
  return { ...weightsFor(t.result.spec, await t.backbone.load()), ...t.result.weights };
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The checkpoint `convzoo finetune` writes (train's snapshot layout + the class names and recipe in state.extra). */
export async function teachCheckpoint(t: Taught): Promise<[string, Uint8Array][]> {
  const { result } = t;
  return checkpointFiles(
    {
      spec: result.spec,
      weights: await allWeights(t),
      optimizer: t.optimizer,
      state: {
        format: 'convzoo.train-state/1',
        epoch: result.history.epoch.length,
        history: result.history,
        seed: SEED,
        training: result.training,
        extra: {
          ...finetuneRecord({ model: t.backbone.model, weights: t.backbone.weightsId, classNames: result.classNames, recipe: t.backbone.recipe, unfreeze: 0 }),
          validationSplit: t.validationSplit,
          backend: t.backend,
          trainedIn: 'browser',
        },
      },
    },
    sha256,
  );
}

/** The fine-tuned net as ONNX, its class names and recipe in the metadata (as `convzoo export` writes them). */
export async function teachOnnx(t: Taught): Promise<Uint8Array> {
  return toOnnx(t.result.spec, await allWeights(t), {
    metadata: {
      'convzoo.labels': JSON.stringify(t.result.classNames),
      'convzoo.recipe': JSON.stringify(t.backbone.recipe),
      'convzoo.weights': `${t.backbone.weightsId}, new ${t.result.classNames.length}-class head trained in a browser`,
    },
  });
}
