// The Train section's Web Worker: loads MNIST from the page's assets, compiles the chosen model for training on the
// chosen backend, runs @convzoo/train's fit (Keras semantics), reports every step and epoch, tests on the 10,000
// MNIST test images, and sends back the weights, a checkpoint as `convzoo train` writes it, and the net as ONNX.
import { compile, type TrainableModel, type TrainingConfig } from '@convzoo/backend';
import { toOnnx } from '@convzoo/backend-onnx';
import { type ImageSet, oneHot, sliceImageSet, toTensor } from '@convzoo/datasets/browser';
import { getModel } from '@convzoo/models';
import { type Callback, checkpointFiles, evaluate, fit, type History, type Logs } from '@convzoo/train/browser';
import { configureOrt, registerPageBackends, setAssetBase } from './backends.js';
import { loadMnistAssets } from './mnist-assets.js';
import { type FromWorker, MAX_LIMIT, MNIST_TEST, MNIST_TRAIN, type ToWorker, type TrainConfig, VALIDATION } from './train-protocol.js';

/** `convzoo train`'s recipe (the tutorial's): Adam with Keras' defaults, categorical cross-entropy. */
const RECIPE: TrainingConfig = { optimizer: { kind: 'adam' }, loss: 'categoricalCrossentropy' };
const EVAL_BATCH = 500;

const post = (m: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);
const now = () => performance.timeOrigin + performance.now();

let stopRequested = false;
class Stopped extends Error {}

/** Lets the worker read its messages (the stop button) between steps: a message-channel turn, no timer clamp. */
function yieldToEvents(): Promise<void> {
  const ch = new MessageChannel();
  return new Promise((resolve) => {
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(0);
  });
}

const samples = (set: ImageSet, start: number, end: number) => {
  const part = sliceImageSet(set, start, end);
  return { x: toTensor(part.x), y: oneHot(part.y, 10) };
};

function checkConfig(c: TrainConfig): void {
  const int = (v: number, name: string, min: number, max: number) => {
    if (!(Number.isInteger(v) && v >= min && v <= max)) throw new Error(`${name} must be an integer from ${min} to ${max}, got ${v}`);
  };
  int(c.epochs, 'epochs', 1, 100);
  int(c.batchSize, 'batch size', 1, 4096);
  int(c.limit, 'training-set size', 1, MAX_LIMIT);
  int(c.validation, 'validation-set size', 1, VALIDATION);
  int(c.test, 'test-set size', 1, MNIST_TEST);
}

async function train(config: TrainConfig, base: string): Promise<void> {
  checkConfig(config);
  setAssetBase(base);
  registerPageBackends();
  await configureOrt();
  post({ type: 'phase', phase: 'loading MNIST' });
  let t0 = performance.now();
  const mnist = await loadMnistAssets(base);
  const dataMs = performance.now() - t0;
  const data = samples(mnist.train, 0, config.limit);
  const validationStart = MNIST_TRAIN - VALIDATION;
  const validation = samples(mnist.train, validationStart, validationStart + config.validation);

  post({ type: 'phase', phase: 'compiling' });
  t0 = performance.now();
  const spec = getModel(config.model, { classes: 10 });
  const model: TrainableModel = await compile(spec, { backend: config.backend, training: RECIPE, seed: config.seed });
  const compileMs = performance.now() - t0;
  try {
    post({ type: 'phase', phase: 'training', backend: model.backend });
    const history: History = { epoch: [], history: {} };
    const steps = Math.ceil(config.limit / config.batchSize);
    let stepsDone = 0;
    let done = 0;
    let trainMs = 0;
    let firstStepMs = 0;
    let last = performance.now();
    const trainStart = last;
    let epochsDone = 0;
    const progress: Callback = {
      onEpochBegin: () => {
        last = performance.now();
      },
      onBatchEnd: async (batch, _running, own) => {
        const t = performance.now();
        trainMs += t - last;
        if (stepsDone++ === 0) firstStepMs = t - trainStart;
        done += Math.min(config.batchSize, config.limit - batch * config.batchSize);
        post({
          type: 'step',
          epoch: epochsDone,
          batch,
          steps,
          loss: own?.loss ?? Number.NaN,
          accuracy: own?.accuracy ?? Number.NaN,
          done,
          total: config.limit * config.epochs,
          trainMs,
          at: now(),
        });
        await yieldToEvents();
        if (stopRequested) throw new Stopped('stopped');
        last = performance.now();
      },
      onEpochEnd: (epoch, logs: Logs) => {
        epochsDone = epoch + 1;
        history.epoch.push(epoch);
        for (const [k, v] of Object.entries(logs)) (history.history[k] ??= []).push(v);
        post({ type: 'epoch', epoch, logs });
      },
    };
    let stopped = false;
    try {
      // biome-ignore lint/suspicious/noFocusedTests: @convzoo/train's fit (Keras' Model.fit), not a focused test
      await fit(model, data, { epochs: config.epochs, batchSize: config.batchSize, validationData: validation, seed: config.seed, callbacks: [progress] });
    } catch (e) {
      if (!(e instanceof Stopped)) throw e;
      stopped = true;
    }

    post({ type: 'phase', phase: 'testing' });
    const testSet = samples(mnist.test, 0, config.test);
    const score = await evaluate(model, testSet, { batchSize: EVAL_BATCH });

    post({ type: 'phase', phase: 'saving' });
    const [weights, optimizer] = await Promise.all([model.getWeights(), model.getOptimizerState()]);
    const checkpoint = await checkpointFiles(
      {
        spec,
        weights,
        optimizer,
        state: {
          format: 'convzoo.train-state/1',
          epoch: epochsDone,
          history,
          seed: config.seed,
          training: RECIPE,
          extra: {
            model: config.model,
            dataset: 'mnist',
            batchSize: config.batchSize,
            limit: config.limit,
            validation: `MNIST training images ${validationStart}-${validationStart + config.validation - 1}`,
            testImages: config.test,
            backend: model.backend,
            trainedIn: 'browser',
            ...(stopped ? { stoppedAfterSteps: stepsDone } : {}),
            testAccuracy: score.accuracy,
          },
        },
      },
      sha256,
    );
    const onnx = toOnnx(spec, weights, { metadata: { 'convzoo.trained': `MNIST in a browser, ${model.backend}` } });
    post(
      {
        type: 'done',
        stopped,
        backend: model.backend,
        test: { accuracy: score.accuracy ?? Number.NaN, loss: score.loss ?? Number.NaN, samples: testSet.y.shape[0]! },
        spec,
        weights,
        checkpoint,
        onnx,
        ...stateLocation(model),
        timings: { dataMs, compileMs, firstStepMs },
      },
      [onnx.buffer as ArrayBuffer],
    );
  } finally {
    model.dispose();
  }
}

/** The ONNX backends say where the training state lived between steps; tfjs does not. */
function stateLocation(model: TrainableModel): { stateLocation?: string } {
  const { stateLocation } = model as { stateLocation?: string };
  return stateLocation ? { stateLocation } : {};
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  if (m.type === 'stop') {
    stopRequested = true;
    return;
  }
  stopRequested = false;
  train(m.config, m.base).catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
};
