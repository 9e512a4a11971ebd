// The self-check's training problem, the same in the page and in the Node reference: a registered model (the
// tutorial LeNet by default) with 10 classes, Adam, seeded initial weights, and one seeded batch with one-hot labels
// (the same labels for every head of a multi-output model, e.g. GoogLeNet's two auxiliary classifiers).
import { createRng, type Tensor, type TrainingConfig } from '@convzoo/backend';
import { getModel, SpecBuilder, type ModelSpec } from '@convzoo/models';

export const TRAIN_CHECK_BATCH = 8;
export const TRAIN_CHECK_SEED = 0;
export const TRAIN_CHECK_TRAINING: TrainingConfig = { loss: 'categoricalCrossentropy', optimizer: { kind: 'adam' } };

/**
 * Max pools whose windows overlap (3x3, stride 2; valid and 'same'), as AlexNet, GoogLeNet and ResNet's stem have,
 * small enough for a software WebGPU: their gradient recomputes each window's first maximal cell.
 */
function overlappingPools(inputShape: [number, number, number] = [23, 23, 3]): ModelSpec {
  const b = new SpecBuilder('overlapping_pools');
  const x = b.input(inputShape);
  const p1 = b.maxPool2d(b.conv2d(x, { filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }), { poolSize: 3, strides: 2 });
  const p2 = b.maxPool2d(b.conv2d(p1, { filters: 16, kernelSize: 3, activation: 'relu' }), { poolSize: 3, strides: 2, padding: 'same' });
  return b.build(b.dense(b.flatten(p2), { units: 10, activation: 'softmax' }));
}

/** `model` as `convzoo list` names it, or 'overlapping-pools'; `input` as HxWxC (default: the model's own). */
export function trainCheckSpec(model = 'lenet', input?: string): ModelSpec {
  const inputShape = input?.split('x').map(Number);
  if (inputShape && (inputShape.length !== 3 || !inputShape.every((v) => Number.isInteger(v) && v > 0)))
    throw new Error(`input '${input}' must be HxWxC, e.g. 67x67x3`);
  if (model === 'overlapping-pools') return overlappingPools(inputShape as [number, number, number] | undefined);
  return getModel(model, { classes: 10, ...(inputShape ? { inputShape } : {}) });
}

/** Pixels uniform in [0, 1) from the seed; sample i has class i mod 10 (one target per model output). */
export function trainCheckBatch(spec: ModelSpec, batch = TRAIN_CHECK_BATCH, seed = TRAIN_CHECK_SEED): { x: Tensor; y: Tensor[] } {
  const input = spec.layers.find((l) => l.kind === 'input')! as { shape: number[] };
  const rng = createRng(seed);
  const x = Float32Array.from({ length: batch * input.shape.reduce((a, b) => a * b, 1) }, () => rng());
  const y = new Float32Array(batch * 10);
  for (let i = 0; i < batch; i++) y[i * 10 + (i % 10)] = 1;
  return { x: { shape: [batch, ...input.shape], data: x }, y: spec.outputs.map(() => ({ shape: [batch, 10], data: y })) };
}
