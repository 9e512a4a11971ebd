// The Train section: model, backend, epochs, batch size and training-set size; training runs in a Web Worker
// (train-worker.ts) and reports every step; the chart, progress, samples/s and ETA follow it; Stop ends it after
// the current step; the test accuracy on MNIST's 10,000 test images comes at the end, the trained net goes to the
// digit pad, and the checkpoint (the files `convzoo eval` reads, as one .tar) and the ONNX file are offered.
// Test contract: `?train=lenet&backend=B&epochs=E&limit=N[&batch=S]` starts on load; data-testid `train-status`
// reads `done` (or `error: ...`), `train-test-accuracy` the percent, `train-samples-per-s` the speed.
import { PAGE_BACKENDS, probeAll } from './backends.js';
import type { Loaded } from './models.js';
import { $ } from './status.js';
import { tarFiles } from './tar.js';
import { TrainChart } from './train-chart.js';
import {
  type FromWorker,
  MAX_LIMIT,
  MNIST_TEST,
  type Phase,
  type ToWorker,
  TRAIN_MODELS,
  type TrainConfig,
  type TrainModel,
  VALIDATION,
} from './train-protocol.js';
import './train.css';

/** For tests and the figures: what the last run measured. */
export interface TrainHook {
  config?: TrainConfig;
  status: string;
  /** ms from navigation start to the end of the first training step (worker start-up, MNIST, compile included). */
  firstStepFromNavigation?: number;
  /** ms from navigation start to the end of training (the test pass starts). */
  trainEndFromNavigation?: number;
  samplesPerS?: number;
  testAccuracy?: number;
  timings?: { dataMs: number; compileMs: number; firstStepMs: number };
  /** Where the ONNX backends kept the parameters between steps ('gpu-buffer' on onnx-web-webgpu). */
  stateLocation?: string;
  steps: number;
  /** Each training step's own batch loss, in order (held to Node's in the tests). */
  losses: number[];
}

const hook: TrainHook = { status: 'idle', steps: 0, losses: [] };
(globalThis as unknown as { __convzoo: { train?: TrainHook } }).__convzoo.train = hook;

const form = {
  model: $<HTMLSelectElement>('train-model'),
  backend: $<HTMLSelectElement>('train-backend'),
  epochs: $<HTMLInputElement>('train-epochs'),
  batch: $<HTMLInputElement>('train-batch'),
  limit: $<HTMLInputElement>('train-limit'),
  start: $<HTMLButtonElement>('train-start'),
  stop: $<HTMLButtonElement>('train-stop'),
};
const chart = new TrainChart($<HTMLCanvasElement>('train-chart'));
let worker: Worker | undefined;
const urls: string[] = [];

function setStatus(text: string): void {
  hook.status = text;
  $('train-status').textContent = text;
  $('train-status').dataset.state = text.startsWith('error') ? 'error' : text === 'done' ? 'done' : 'busy';
}

const seconds = (s: number) => (s >= 90 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${s.toFixed(s < 10 ? 1 : 0)} s`);

function readForm(): TrainConfig {
  return {
    model: form.model.value as TrainModel,
    backend: form.backend.value,
    epochs: Number(form.epochs.value),
    batchSize: Number(form.batch.value),
    limit: Number(form.limit.value),
    validation: VALIDATION,
    test: MNIST_TEST,
    seed: 0,
  };
}

function running(on: boolean): void {
  form.start.disabled = on;
  form.stop.disabled = !on;
}

function start(config: TrainConfig, useForDigits: (loaded: Loaded | undefined) => void): void {
  worker?.terminate();
  for (const u of urls.splice(0)) URL.revokeObjectURL(u);
  hook.config = config;
  hook.steps = 0;
  hook.losses = [];
  delete hook.testAccuracy;
  delete hook.samplesPerS;
  delete hook.firstStepFromNavigation;
  delete hook.trainEndFromNavigation;
  delete hook.stateLocation;
  for (const id of ['train-samples-per-s', 'train-eta', 'train-val-accuracy', 'train-test-accuracy', 'train-progress-text', 'train-timing'])
    $(id).textContent = '';
  $('train-downloads').hidden = true;
  const progress = $<HTMLProgressElement>('train-progress');
  progress.value = 0;
  const stepsPerEpoch = Math.ceil(config.limit / config.batchSize);
  chart.reset(stepsPerEpoch * config.epochs);
  running(true);
  setStatus('starting');
  const w = new Worker(new URL('./train-worker.ts', import.meta.url), { type: 'module', name: 'convzoo-train' });
  worker = w;
  let backend = config.backend;
  w.onerror = (e) => {
    setStatus(`error: the training worker failed: ${e.message}`);
    running(false);
  };
  w.onmessage = (e: MessageEvent<FromWorker>) => {
    const m = e.data;
    switch (m.type) {
      case 'phase':
        if (m.backend) backend = m.backend;
        if (m.phase === 'testing') hook.trainEndFromNavigation = performance.now();
        setStatus(m.phase satisfies Phase);
        break;
      case 'step': {
        hook.steps++;
        hook.losses.push(m.loss);
        const step = m.epoch * m.steps + m.batch + 1;
        if (hook.steps === 1) hook.firstStepFromNavigation = m.at - performance.timeOrigin;
        chart.step(step, m.loss, m.accuracy);
        const rate = m.done / (m.trainMs / 1000);
        hook.samplesPerS = rate;
        progress.value = m.done / m.total;
        $('train-samples-per-s').textContent = rate.toFixed(0);
        $('train-eta').textContent = seconds((m.total - m.done) / rate);
        $('train-progress-text').textContent =
          `epoch ${m.epoch + 1}/${config.epochs}, step ${m.batch + 1}/${m.steps}, ${m.done.toLocaleString('en')} of ${m.total.toLocaleString('en')} samples on ${backend}`;
        break;
      }
      case 'epoch': {
        chart.validation((m.epoch + 1) * stepsPerEpoch, m.logs.val_loss, m.logs.val_accuracy);
        if (m.logs.val_accuracy !== undefined) $('train-val-accuracy').textContent = `${(m.logs.val_accuracy * 100).toFixed(2)}% (epoch ${m.epoch + 1})`;
        break;
      }
      case 'done': {
        hook.testAccuracy = m.test.accuracy * 100;
        hook.timings = m.timings;
        if (m.stateLocation) hook.stateLocation = m.stateLocation;
        $('train-test-accuracy').textContent = hook.testAccuracy.toFixed(2);
        const name = `${config.model}-checkpoint`;
        const link = (id: string, bytes: Uint8Array, file: string) => {
          const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>]));
          urls.push(url);
          const a = $<HTMLAnchorElement>(id);
          a.href = url;
          a.download = file;
        };
        link('train-download-checkpoint', tarFiles(m.checkpoint.map(([p, b]) => [`${name}/${p}`, b] as const)), `${name}.tar`);
        link('train-download-onnx', m.onnx, `${config.model}.onnx`);
        $('train-downloads').hidden = false;
        $('train-timing').textContent =
          `${m.backend}: MNIST loaded in ${seconds(m.timings.dataMs / 1000)}, compiled in ${seconds(m.timings.compileMs / 1000)}, ` +
          `first step ${m.timings.firstStepMs.toFixed(0)} ms${m.stateLocation ? ` (parameters kept in ${m.stateLocation} between steps)` : ''}; test accuracy ${hook.testAccuracy.toFixed(2)}% on ${m.test.samples.toLocaleString('en')} images. ` +
          'The digit pad now answers with this net (tar -xf the checkpoint, then convzoo eval the folder).';
        useForDigits({ spec: m.spec, weights: m.weights });
        setStatus(m.stopped ? 'stopped' : 'done');
        running(false);
        w.terminate();
        break;
      }
      case 'error':
        setStatus(`error: ${m.message}`);
        running(false);
        w.terminate();
        break;
    }
  };
  w.postMessage({ type: 'start', config, base: document.baseURI } satisfies ToWorker);
}

/** `?train=` and friends: a run configured from the URL (the test contract), or a named error. */
function fromQuery(params: URLSearchParams): TrainConfig | undefined {
  const model = params.get('train');
  if (model === null) return undefined;
  if (!(TRAIN_MODELS as readonly string[]).includes(model)) throw new Error(`?train=${model} is not one of ${TRAIN_MODELS.join(', ')}`);
  const num = (name: string, fallback: string, max = Number.POSITIVE_INFINITY, why = '') => {
    const raw = params.get(name) ?? fallback;
    const v = Number(raw);
    if (!Number.isInteger(v) || v < 1) throw new Error(`?${name}=${raw} must be a positive integer`);
    if (v > max) throw new Error(`?${name}=${v}: at most ${max}${why}`);
    return v;
  };
  return {
    model: model as TrainModel,
    backend: params.get('backend') ?? 'onnx-wasm',
    epochs: num('epochs', '1'),
    batchSize: num('batch', form.batch.value),
    limit: num('limit', form.limit.value, MAX_LIMIT, ' (the last 5,000 training images validate)'),
    validation: num('validation', String(VALIDATION), VALIDATION),
    test: num('test', String(MNIST_TEST), MNIST_TEST),
    seed: 0,
  };
}

export function setupTrain(useForDigits: (loaded: Loaded | undefined) => void): void {
  for (const m of TRAIN_MODELS) form.model.append(new Option(m === 'lenet' ? 'LeNet (431,080 parameters)' : 'small ResNet (576,282 parameters)', m));
  for (const b of PAGE_BACKENDS) form.backend.append(new Option(b, b));
  form.backend.value = 'onnx-wasm';
  // Every page backend trains (tfjs by autodiff, ONNX Runtime by convzoo's training graphs); the unavailable ones
  // are disabled with the probe's reason.
  void probeAll().then((states) => {
    for (const s of states) {
      const opt = [...form.backend.options].find((o) => o.value === s.name);
      if (opt && !s.probe.available) {
        opt.disabled = true;
        opt.title = s.probe.reason ?? '';
      }
    }
  });
  $('train-form').addEventListener('submit', (e) => {
    e.preventDefault();
    start(readForm(), useForDigits);
  });
  form.stop.addEventListener('click', () => {
    worker?.postMessage({ type: 'stop' } satisfies ToWorker);
    setStatus('stopping');
  });
  $('train-restore').addEventListener('click', () => useForDigits(undefined));
  let config: TrainConfig | undefined;
  try {
    config = fromQuery(new URLSearchParams(location.search));
  } catch (e) {
    setStatus(`error: ${(e as Error).message}`);
    return;
  }
  if (!config) return;
  form.model.value = config.model;
  form.backend.value = config.backend;
  form.epochs.value = String(config.epochs);
  form.batch.value = String(config.batchSize);
  form.limit.value = String(config.limit);
  start(config, useForDigits);
}
