// The self-check's training problem, the same in the page and in the Node reference: a registered model (the
// tutorial LeNet by default) with 10 classes, Adam, seeded initial weights, and one seeded batch with one-hot labels.
import { createRng, type Tensor, type TrainingConfig } from '@convzoo/backend';
import { getModel, type ModelSpec } from '@convzoo/spec';

export const TRAIN_CHECK_BATCH = 8;
export const TRAIN_CHECK_SEED = 0;
export const TRAIN_CHECK_TRAINING: TrainingConfig = { loss: 'categoricalCrossentropy', optimizer: { kind: 'adam' } };

/** `model` as `convzoo list` names it; `input` as HxWxC (default: the model's own). */
export function trainCheckSpec(model = 'lenet', input?: string): ModelSpec {
  const inputShape = input?.split('x').map(Number);
  if (inputShape && (inputShape.length !== 3 || !inputShape.every((v) => Number.isInteger(v) && v > 0)))
    throw new Error(`input '${input}' must be HxWxC, e.g. 67x67x3`);
  return getModel(model, { classes: 10, ...(inputShape ? { inputShape } : {}) });
}

/** Pixels uniform in [0, 1) from the seed; sample i has class i mod 10. */
export function trainCheckBatch(spec: ModelSpec, batch = TRAIN_CHECK_BATCH, seed = TRAIN_CHECK_SEED): { x: Tensor; y: Tensor } {
  const input = spec.layers.find((l) => l.kind === 'input')! as { shape: number[] };
  const rng = createRng(seed);
  const x = Float32Array.from({ length: batch * input.shape.reduce((a, b) => a * b, 1) }, () => rng());
  const y = new Float32Array(batch * 10);
  for (let i = 0; i < batch; i++) y[i * 10 + (i % 10)] = 1;
  return { x: { shape: [batch, ...input.shape], data: x }, y: { shape: [batch, 10], data: y } };
}
