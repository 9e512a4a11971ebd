// The pieces `convzoo train` and `convzoo eval` share: data sets as tensors, the model for a data set, the recipe
// of the seed's LeNet tutorial (Adam, categorical cross-entropy, accuracy), and backend selection.
import { BackendError, compile, defaultRegistry, describeMemoryCheck, listBackends, optimizerSlots, probeBackend, resolveBackend, resolveOptimizer, type BackendChoice, type Model, type Tensor, type TrainableModel, type TrainingConfig, type WeightMap } from '@convzoo/backend';
import { registerOnnxBackends } from '@convzoo/backend-onnx';
import { registerTfjsBackends } from '@convzoo/backend-tfjs';
import type { ModelSpec } from '@convzoo/spec';
import { loadDataset, oneHot, resizeBilinearFloat, sliceImageSet, toTensor, DATASET_NAMES, type ImageSet } from '@convzoo/datasets';
import type { Samples } from '@convzoo/train';
import { CliError } from './command.js';

/** The seed's recipe (section 1 of the tutorial): EPOCHS 5, BATCH_SIZE 128, Adam(), VALIDATION_SPLIT 0.95. */
export const SEED_DEFAULTS = {
  model: 'lenet',
  dataset: 'mnist',
  epochs: 5,
  batchSize: 128,
  validationSplit: 0.95,
  logdir: './logs',
  seed: 0,
} as const;

export const SEED_TRAINING: TrainingConfig = { optimizer: { kind: 'adam' }, loss: 'categoricalCrossentropy' };

/**
 * The recipe for a spec: the seed's, and for several outputs (GoogLeNet's auxiliary heads) the seed's
 * `loss_weights=[1, 0.3, 0.3]`: the main output counts fully, each auxiliary head 0.3.
 */
export function recipeFor(spec: ModelSpec): TrainingConfig {
  const n = spec.outputs.length;
  return n > 1 ? { ...SEED_TRAINING, lossWeights: [1, ...Array<number>(n - 1).fill(0.3)] } : SEED_TRAINING;
}

/** Every output learns the same labels (auxiliary classifiers), as Keras does with `y=[y, y, y]`. */
export function targetsPerOutput(data: Samples, outputs: number): Samples {
  if (outputs === 1 || Array.isArray(data.y)) return data;
  return { x: data.x, y: Array.from({ length: outputs }, () => data.y as Tensor) };
}

/** The accuracy to report: `accuracy`, or the main (first) output's for multi-output models. */
export function mainAccuracy(logs: Record<string, number>, spec: ModelSpec): number | undefined {
  return logs.accuracy ?? logs[`${spec.outputs[0]}_accuracy`];
}

export interface LoadedData {
  train: Samples;
  test: Samples;
  classNames: string[];
  /** [h, w, c] of one image. */
  imageShape: [number, number, number];
}

function toSamples(set: ImageSet): Samples {
  return { x: toTensor(set.x) as Tensor, y: oneHot(set.y, set.classNames.length) as Tensor };
}

/**
 * Loads a data set by name as float32 tensors (images /255 as in the seed, one-hot labels). `limit` keeps only the
 * first samples of each half (quick checks).
 */
export async function loadData(dataset: string, dataDir: string | undefined, limit?: { train?: number; test?: number }): Promise<LoadedData> {
  if (!(DATASET_NAMES as readonly string[]).includes(dataset)) {
    throw new CliError(`--dataset must be one of ${DATASET_NAMES.join(', ')}, got '${dataset}'`);
  }
  const { train, test } = await loadDataset(dataset, dataDir !== undefined ? { dir: dataDir } : {});
  const cut = (set: ImageSet, n: number | undefined) => (n === undefined ? set : sliceImageSet(set, 0, Math.min(n, set.y.length)));
  const t = cut(train, limit?.train);
  const s = cut(test, limit?.test);
  const [, h, w, c] = t.x.shape;
  return { train: toSamples(t), test: toSamples(s), classNames: t.classNames, imageShape: [h!, w!, c!] };
}

/**
 * Images resized (bilinear, as Pillow) to a model's input size, grey replicated to RGB: MNIST-sized data through a
 * network at its native 224x224x3 (memory checks, benchmarks). Returns `data` unchanged when the shapes agree.
 */
export function resizeData(data: LoadedData, shape: [number, number, number]): LoadedData {
  const [h, w, c] = shape;
  const [ih, iw, ic] = data.imageShape;
  if (h === ih && w === iw && c === ic) return data;
  if (ic !== c && !(ic === 1 && c === 3)) throw new CliError(`cannot feed ${ic}-channel images to a ${c}-channel input ${h}x${w}x${c}`);
  const resize = (t: Tensor): Tensor => {
    const n = t.shape[0]!;
    const out = new Float32Array(n * h * w * c);
    for (let i = 0; i < n; i++) {
      const img = resizeBilinearFloat({ width: iw, height: ih, channels: ic, data: t.data.subarray(i * ih * iw * ic, (i + 1) * ih * iw * ic) }, w, h).data;
      for (let p = 0; p < h * w; p++) for (let k = 0; k < c; k++) out[(i * h * w + p) * c + k] = img[p * ic + (ic === 1 ? 0 : k)]!;
    }
    return { shape: [n, h, w, c], data: out };
  };
  const on = (s: Samples): Samples => ({ x: resize(s.x as Tensor), y: s.y });
  return { ...data, train: on(data.train), test: on(data.test), imageShape: [h, w, c] };
}

/** `--limit N` (quick runs): N training samples and at most N test samples. */
export function parseLimit(value: string | undefined): { train?: number; test?: number } | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`--limit must be an integer >= 1, got '${value}'`);
  return { train: n, test: n };
}

export interface OpenOptions {
  backend: string;
  training?: TrainingConfig;
  seed?: number;
  weights?: WeightMap;
  /**
   * The batch the model will see, checked against the backend's memory before anything is allocated. 'auto' takes
   * `autoMax` (the recipe's batch) or, when that does not fit, the largest batch that does.
   */
  batchSize?: number | 'auto';
  autoMax?: number;
}

export interface OpenedModel<M extends Model> {
  model: M;
  /** One line saying which backend runs the model and, for auto, what was passed over. */
  choice: string;
  /** The batch size checked (the chosen one for 'auto'); undefined when none was given. */
  batchSize?: number;
}

/**
 * `--batch-size auto`: the recipe's batch when the backend (for 'auto': any backend it would pick) holds it, else the
 * largest batch the requested backend (for 'auto': the best one that starts) holds.
 */
async function autoBatch(spec: ModelSpec, options: OpenOptions): Promise<number> {
  const max = options.autoMax ?? 128;
  const training = options.training !== undefined;
  const slots = options.training ? optimizerSlots(resolveOptimizer(options.training.optimizer)).length : 0;
  const need = { spec, batchSize: max, training, optimizerSlots: slots };
  try {
    await resolveBackend(options.backend, { training, memory: need });
    return max;
  } catch (e) {
    if (!(e instanceof BackendError && e.code === 'out-of-memory')) throw e;
  }
  // No backend holds `max`: the requested one (or, for 'auto', the best that starts and holds at least one image).
  const names = options.backend === 'auto' ? listBackends().filter((b) => !training || b.canTrain).map((b) => b.name) : [options.backend];
  const refusals: string[] = [];
  for (const name of names) {
    if (!(await probeBackend(name)).available) continue;
    const check = await defaultRegistry.memoryCheck(name, need);
    if (check && check.largestBatch > 0) return check.largestBatch;
    if (check) refusals.push(describeMemoryCheck(check, spec.name));
  }
  throw new CliError(`--batch-size auto: ${refusals.join('; ') || `no backend here holds ${spec.name}`}`);
}

let registered = false;

/** `backend 'tfjs-wasm' (auto: best available; not here: tfjs-node, tfjs-webgpu — see convzoo doctor)`. */
function describe(c: BackendChoice): string {
  if (c.requested !== 'auto') return `backend '${c.backend}'`;
  const tooSmall = c.skipped.filter((s) => s.reason.includes(' needs ~'));
  const absent = c.skipped.filter((s) => !tooSmall.includes(s));
  const notHere = absent.length ? `; not available here: ${absent.map((s) => s.name).join(', ')} (see convzoo doctor)` : '';
  const small = tooSmall.map((s) => `; passed over ${s.name}: ${s.reason.replace(/^.*? needs /, 'needs ')}`).join('');
  return `backend '${c.backend}' (auto: the best available${notHere}${small})`;
}

/** Registers every adapter this CLI ships (once): TensorFlow.js and ONNX Runtime backends. */
export function registerBackends(): void {
  if (registered) return;
  registerTfjsBackends();
  registerOnnxBackends();
  registered = true;
}

/** Compiles `spec` on the requested backend ('auto' picks the best available one that can do the job). */
export async function openModel(spec: ModelSpec, options: OpenOptions & { training: TrainingConfig }): Promise<OpenedModel<TrainableModel>>;
export async function openModel(spec: ModelSpec, options: OpenOptions): Promise<OpenedModel<Model>>;
export async function openModel(spec: ModelSpec, options: OpenOptions): Promise<OpenedModel<Model>> {
  registerBackends();
  let choice = '';
  let model: Model;
  let batchSize: number | undefined;
  try {
    batchSize = options.batchSize === 'auto' ? await autoBatch(spec, options) : options.batchSize;
    model = await compile(spec, {
      ...(batchSize !== undefined ? { batchSize } : {}),
      backend: options.backend,
      ...(options.training ? { training: options.training } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.weights ? { weights: options.weights } : {}),
      onBackend: (c) => (choice = describe(c)),
    });
  } catch (e) {
    if (e instanceof BackendError && (e.code === 'unknown-backend' || e.code === 'unavailable' || e.code === 'cannot-train')) {
      throw new CliError(`--backend ${options.backend}: ${e.message}`);
    }
    if (e instanceof BackendError && e.code === 'out-of-memory') throw new CliError(`--batch-size ${batchSize}: ${e.message}; --batch-size auto picks one that fits`);
    throw e;
  }
  return { model, choice, ...(batchSize !== undefined ? { batchSize } : {}) };
}
