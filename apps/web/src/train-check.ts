// train-check.html: trains the tutorial LeNet for a few Adam steps on a seeded batch, on the backend of
// `?backend=` (default onnx-wasm), and shows the loss of each step: is training working in this browser, on this
// backend? The e2e test holds every step's loss and the final weights to Node's onnx-cpu on the same problem.
import { compile, isTrainable, type WeightMap } from '@convzoo/backend';
import { configureOrt, registerPageBackends } from './backends.js';
import { TRAIN_CHECK_SEED, TRAIN_CHECK_TRAINING, trainCheckBatch, trainCheckSpec } from './train-check-data.js';

interface TrainCheckHook {
  trainCheck?: {
    backend: string;
    losses: number[];
    /** Where the ONNX backends keep parameters between steps ('gpu-buffer' on onnx-web-webgpu); tfjs: undefined. */
    stateLocation?: string;
    /** The trained model's predictions for the batch (inference mode, fed the trained parameters where they are). */
    predictions: number[];
    weights: Record<string, { shape: number[]; data: number[] }>;
  };
}
const hook: TrainCheckHook = {};
(globalThis as { __convzoo?: TrainCheckHook }).__convzoo = hook;

const $ = (id: string) => document.getElementById(id)!;
const params = new URLSearchParams(location.search);

async function main(): Promise<void> {
  const backend = params.get('backend') ?? 'onnx-wasm';
  const steps = Number(params.get('steps') ?? '3');
  if (!(Number.isInteger(steps) && steps >= 1 && steps <= 100)) throw new Error(`?steps=${params.get('steps')} must be an integer from 1 to 100`);
  registerPageBackends();
  await configureOrt();
  const spec = trainCheckSpec(params.get('model') ?? 'lenet', params.get('input') ?? undefined);
  const model = await compile(spec, { backend, training: TRAIN_CHECK_TRAINING, seed: TRAIN_CHECK_SEED });
  try {
    if (!isTrainable(model)) throw new Error(`${backend} compiled ${spec.name} without trainStep`);
    $('backend').textContent = model.backend;
    const { x, y } = trainCheckBatch(spec);
    const losses: number[] = [];
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      const { loss } = await model.trainStep(x, y);
      losses.push(loss);
      $('log').textContent += `step ${i + 1}: loss ${loss.toFixed(6)} (${(performance.now() - t0).toFixed(0)} ms)\n`;
    }
    const { stateLocation } = model as { stateLocation?: string };
    if (stateLocation) $('log').textContent += `parameters and optimizer slots between steps: ${stateLocation}\n`;
    const [predictions] = await model.predict(x);
    const weights: WeightMap = await model.getWeights();
    hook.trainCheck = {
      backend: model.backend,
      losses,
      ...(stateLocation ? { stateLocation } : {}),
      predictions: [...predictions!.data],
      weights: Object.fromEntries(Object.entries(weights).map(([k, t]) => [k, { shape: t.shape, data: [...t.data] }])),
    };
  } finally {
    model.dispose();
  }
}

main().then(
  () => {
    $('status').textContent = 'ready';
  },
  (e: unknown) => {
    $('status').textContent = `error: ${e instanceof Error ? e.message : String(e)}`;
  },
);
