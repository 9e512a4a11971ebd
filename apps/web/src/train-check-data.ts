// The self-check's training problem, the same in the page and in the Node reference: the tutorial LeNet, Adam,
// seeded initial weights, and one seeded batch of 28x28 images with one-hot labels.
import { createRng, type Tensor, type TrainingConfig } from '@convzoo/backend';
import { getModel, type ModelSpec } from '@convzoo/spec';

export const TRAIN_CHECK_BATCH = 8;
export const TRAIN_CHECK_SEED = 0;
export const TRAIN_CHECK_TRAINING: TrainingConfig = { loss: 'categoricalCrossentropy', optimizer: { kind: 'adam' } };

export function trainCheckSpec(): ModelSpec {
  return getModel('lenet');
}

/** Pixels uniform in [0, 1) from the seed; sample i has class i mod 10. */
export function trainCheckBatch(batch = TRAIN_CHECK_BATCH, seed = TRAIN_CHECK_SEED): { x: Tensor; y: Tensor } {
  const rng = createRng(seed);
  const x = Float32Array.from({ length: batch * 28 * 28 }, () => rng());
  const y = new Float32Array(batch * 10);
  for (let i = 0; i < batch; i++) y[i * 10 + (i % 10)] = 1;
  return { x: { shape: [batch, 28, 28, 1], data: x }, y: { shape: [batch, 10], data: y } };
}
