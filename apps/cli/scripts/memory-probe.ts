// One measurement in a fresh process (a WebAssembly heap never shrinks): compile `model` on `backend`, run one
// training step (or one prediction) at `batch`, print the plan and the measured peak as one JSON line.
// Usage: tsx --conditions=source scripts/memory-probe.ts BACKEND MODEL BATCH train|infer [HxWxC] [CLASSES]
import { defaultRegistry, type Tensor, type TrainableModel } from '@convzoo/backend';
import { getModel, memoryPlan } from '@convzoo/models';
import { openModel, registerBackends } from '../src/open-model.js';

const [backend = 'tfjs-wasm', name = 'lenet', batchArg = '32', mode = 'train', input, classesArg] = process.argv.slice(2);
const batch = Number(batchArg);
const training = mode === 'train';
const spec = getModel(name, {
  ...(input ? { inputShape: input.split('x').map(Number) } : {}),
  ...(classesArg ? { classes: Number(classesArg) } : {}),
});
const shape = [batch, ...(spec.layers[0] as { shape: number[] }).shape];
const x: Tensor = { shape, data: new Float32Array(shape.reduce((a, b) => a * b)).map((_, i) => Math.sin(i)) };
const classes = (spec.layers.at(-1) as { units?: number }).units ?? 10;
const y: Tensor = { shape: [batch, classes], data: new Float32Array(batch * classes).map((_, i) => (i % classes === 0 ? 1 : 0)) };
const rssBefore = process.resourceUsage().maxRSS * 1024;
const plan = memoryPlan(spec, { batchSize: batch, training, optimizerSlots: 2 });
registerBackends();
const check = await defaultRegistry.memoryCheck(backend, { spec, batchSize: batch, training, optimizerSlots: 2 });
const t0 = performance.now();
const { model } = training
  ? await openModel(spec, { backend, training: { loss: 'categoricalCrossentropy', optimizer: { kind: 'adam' } } })
  : await openModel(spec, { backend });
try {
  if (training) await (model as TrainableModel).trainStep(x, Array(spec.outputs.length).fill(y));
  else await model.predict(x);
  const engine = await defaultRegistry.factory(backend).memory?.();
  console.log(
    JSON.stringify({
      backend,
      model: name,
      input: shape.slice(1).join('x'),
      batch,
      mode,
      plan,
      plannedBytes: check?.needBytes,
      limitBytes: check?.limitBytes,
      reservedBytes: engine?.reservedBytes,
      rssDelta: process.resourceUsage().maxRSS * 1024 - rssBefore,
      seconds: (performance.now() - t0) / 1000,
    }),
  );
} catch (e) {
  console.log(JSON.stringify({ backend, model: name, batch, mode, plan, error: (e as Error).message.split('\n')[0] }));
} finally {
  model.dispose();
}
