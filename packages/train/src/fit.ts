// fit / evaluate: Keras' training loop over any backend whose compiled model trains (TrainableModel).
import type { LossName, Model, Tensor, TrainableModel } from '@convzoo/backend';
import { isTrainable } from '@convzoo/backend';
import { EpochAccumulator } from './accumulator.js';
import { lossSum } from './metrics.js';
import { asList, epochPermutation, gatherSamples, sampleCount, sliceSamples, splitValidation } from '@convzoo/backend';
import type { Callback, History, Logs, MetricSpec, Samples, TestParams, TrainContext } from './types.js';

export interface FitOptions {
  /** Index of the epoch to stop before (Keras: with initialEpoch 2 and epochs 5, runs epochs 3..5). Default 1. */
  epochs?: number;
  /** Default 32, as Keras. */
  batchSize?: number;
  /** Fraction of the samples, taken from the END before shuffling, used for validation only. */
  validationSplit?: number;
  validationData?: Samples;
  /** Shuffle the training samples each epoch (default true), in an order fixed by `seed` and the epoch. */
  shuffle?: boolean;
  seed?: number;
  /** Epochs already done (resume). Default 0. */
  initialEpoch?: number;
  /** History of the epochs already done, continued by this run (resume). */
  initialHistory?: History;
  callbacks?: Callback[];
  /** Default ['accuracy']. */
  metrics?: MetricSpec[];
}

export interface EvaluateOptions {
  /** Default 32, as Keras (10,000 test images -> 313 steps). */
  batchSize?: number;
  callbacks?: Callback[];
  metrics?: MetricSpec[];
  /** Needed only for models that cannot train (inference-only backends): the loss is computed here from predictions. */
  loss?: LossName | LossName[];
  lossWeights?: number[];
}

/** Training produced a NaN or infinite loss: the weights of this epoch are garbage and are not saved. */
export class NonFiniteLossError extends Error {
  constructor(
    readonly epoch: number,
    readonly batch: number,
    readonly loss: number,
    readonly history: History,
  ) {
    super(`loss became ${loss} at epoch ${epoch + 1}, batch ${batch + 1}; training stopped (that epoch was not saved)`);
    this.name = 'NonFiniteLossError';
  }
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be an integer >= 1, got ${value}`);
  return value;
}

function cloneHistory(h: History | undefined): History {
  if (!h) return { epoch: [], history: {} };
  return { epoch: [...h.epoch], history: Object.fromEntries(Object.entries(h.history).map(([k, v]) => [k, [...v]])) };
}

async function each(callbacks: Callback[], f: (c: Callback) => void | Promise<void>): Promise<void> {
  for (const c of callbacks) await f(c);
}

/**
 * Trains `model` on `data` and returns the History, as `keras.Model.fit` does. The model must come from
 * `compile(spec, { training })` on a backend that trains.
 */
export async function fit(model: Model | TrainableModel, data: Samples, options: FitOptions = {}): Promise<History> {
  if (!isTrainable(model)) {
    throw new Error(`the model on backend '${model.backend}' cannot train: compile it with { training } on a backend that trains`);
  }
  const epochs = positiveInt(options.epochs ?? 1, 'epochs');
  const batchSize = positiveInt(options.batchSize ?? 32, 'batchSize');
  const initialEpoch = options.initialEpoch ?? 0;
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) throw new Error(`initialEpoch must be an integer >= 0, got ${initialEpoch}`);
  if (options.validationSplit !== undefined && options.validationData) {
    throw new Error('give either validationSplit or validationData, not both');
  }
  const seed = options.seed ?? 0;
  const metrics = options.metrics ?? ['accuracy'];
  const callbacks = options.callbacks ?? [];

  let train = data;
  let validation = options.validationData;
  if (options.validationSplit !== undefined && options.validationSplit > 0) {
    ({ train, validation } = splitValidation(data, options.validationSplit));
  }
  const n = sampleCount(train);
  const validationSamples = validation ? sampleCount(validation) : 0;
  const steps = Math.ceil(n / batchSize);
  const outputNames = model.spec.outputs;
  const history = cloneHistory(options.initialHistory);

  let stopReason: string | undefined;
  const ctx: TrainContext = {
    model,
    params: { epochs, steps, samples: n, batchSize, initialEpoch, validationSamples, metricNames: [] },
    history,
    requestStop(reason) {
      stopReason ??= reason;
    },
    get stopReason() {
      return stopReason;
    },
  };
  for (const c of callbacks) c.setContext?.(ctx);

  await each(callbacks, (c) => c.onTrainBegin?.({}));
  let failed = true;
  try {
    for (let epoch = initialEpoch; epoch < epochs && stopReason === undefined; epoch++) {
      await each(callbacks, (c) => c.onEpochBegin?.(epoch, {}));
      const order = options.shuffle === false ? undefined : epochPermutation(n, seed, epoch);
      const acc = new EpochAccumulator(outputNames, metrics);
      for (let b = 0; b < steps; b++) {
        const start = b * batchSize;
        const end = Math.min(n, start + batchSize);
        const batch = order ? gatherSamples(train, order.subarray(start, end)) : sliceSamples(train, start, end);
        const result = await model.trainStep(batch.x, batch.y);
        if (!Number.isFinite(result.loss)) throw new NonFiniteLossError(epoch, b, result.loss, history);
        acc.add(result, asList(batch.y), end - start);
        const running = acc.means();
        const own = new EpochAccumulator(outputNames, metrics);
        own.add(result, asList(batch.y), end - start);
        const batchLogs = own.means();
        await each(callbacks, (c) => c.onBatchEnd?.(b, running, batchLogs));
      }
      const logs = acc.means();
      if (validation) {
        const v = await runTest(model, validation, { batchSize, metrics, callbacks: [] });
        for (const [k, value] of Object.entries(v)) logs[`val_${k}`] = value;
      }
      if (ctx.params.metricNames.length === 0) ctx.params.metricNames.push(...Object.keys(logs));
      history.epoch.push(epoch);
      for (const [k, value] of Object.entries(logs)) (history.history[k] ??= []).push(value);
      await each(callbacks, (c) => c.onEpochEnd?.(epoch, logs));
    }
    failed = false;
  } finally {
    // Writers (TensorBoard, CSV, the curve) close even when training fails.
    await each(callbacks, (c) => c.onTrainEnd?.(failed ? { error: 1 } : {}));
  }
  return history;
}

async function runTest(model: Model, data: Samples, options: EvaluateOptions): Promise<Logs> {
  const batchSize = positiveInt(options.batchSize ?? 32, 'batchSize');
  const callbacks = options.callbacks ?? [];
  const n = sampleCount(data);
  const params: TestParams = { steps: Math.ceil(n / batchSize), samples: n, batchSize };
  const acc = new EpochAccumulator(model.spec.outputs, options.metrics ?? ['accuracy']);
  const trainable = isTrainable(model);
  const losses = options.loss === undefined ? undefined : Array.isArray(options.loss) ? options.loss : model.spec.outputs.map(() => options.loss as LossName);
  if (!trainable && !losses) throw new Error(`backend '${model.backend}' cannot compute a loss itself: pass the loss to evaluate()`);
  await each(callbacks, (c) => c.onTestBegin?.(params));
  for (let b = 0; b < params.steps; b++) {
    const start = b * batchSize;
    const end = Math.min(n, start + batchSize);
    const batch = sliceSamples(data, start, end);
    const targets = asList(batch.y);
    const size = end - start;
    const result = trainable ? await model.evaluateStep(batch.x, batch.y) : await predictedLoss(model, batch.x, targets, losses!, options.lossWeights, size);
    acc.add(result, targets, size);
    const running = acc.means();
    await each(callbacks, (c) => c.onTestBatchEnd?.(b, running));
  }
  const logs = acc.means();
  await each(callbacks, (c) => c.onTestEnd?.(logs));
  return logs;
}

/** A StepResult computed in JS from predictions, for backends without evaluateStep (ONNX Runtime). */
async function predictedLoss(model: Model, x: Tensor | Tensor[], targets: Tensor[], losses: LossName[], weights: number[] | undefined, size: number) {
  const outputs = await model.predict(x);
  if (losses.length !== outputs.length) throw new Error(`${losses.length} losses given for ${outputs.length} outputs`);
  const per = outputs.map((o, i) => lossSum(losses[i]!, targets[i]!, o) / size);
  const loss = per.reduce((s, l, i) => s + l * (weights?.[i] ?? 1), 0);
  return { loss, losses: per, outputs };
}

/** Loss and metrics on `data` in inference mode, as `keras.Model.evaluate` (returns them by name). */
export async function evaluate(model: Model, data: Samples, options: EvaluateOptions = {}): Promise<Logs> {
  return runTest(model, data, options);
}
