// The numbers the conformance suite feeds every backend (seeded weights and inputs); the references it compares
// them with are in conformance-probes.ts. No vitest here: the fixture scripts and the self-test import this too.
import { inferShapes, paramInfos, type ModelSpec } from '@convzoo/models';
import { createRng, initWeights, sizeOf, streamSeed, type Tensor, type WeightMap } from '@convzoo/backend';

/** Seed and batch of the inputs and weights the reference fixtures were computed from. */
export const REFERENCE_SEED = 1;
export const REFERENCE_BATCH = 2;

/** Max |a - b| over max(1, max |ref|): the parity metric of the suite. */
export function parityError(out: Tensor, ref: Tensor): number {
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < ref.data.length; i++) {
    const r = ref.data[i]!;
    const d = Math.abs(out.data[i]! - r);
    // NaN must fail, not compare false and pass.
    diff = Number.isNaN(d) ? Infinity : Math.max(diff, d);
    scale = Math.max(scale, Math.abs(r));
  }
  return diff / scale;
}

const uniform = (shape: number[], rng: () => number, lo: number, hi: number): Tensor => {
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = lo + (hi - lo) * rng();
  return { shape, data };
};

/**
 * Keras' glorot kernels plus random biases and BatchNorm parameters/statistics (defaults would make BatchNorm an
 * identity and hide layout bugs in it), all seeded.
 */
export function randomWeights(spec: ModelSpec, seed = 0): WeightMap {
  const weights = initWeights(spec, seed);
  const ranges = { bias: [-0.1, 0.1], beta: [-0.1, 0.1], gamma: [0.8, 1.2], moving_mean: [-0.1, 0.1], moving_variance: [0.5, 1.5] } as const;
  for (const p of paramInfos(spec)) {
    if (p.param === 'kernel') continue;
    const [lo, hi] = ranges[p.param];
    weights[p.name] = uniform([...p.shape], createRng(streamSeed(seed + 1, p.name)), lo, hi);
  }
  return weights;
}

/** One batch of U(0, 1) images per input of the spec. */
export function randomInputs(spec: ModelSpec, batch: number, seed = 0): Tensor[] {
  const shapes = inferShapes(spec);
  return spec.inputs.map((name) => uniform([batch, ...shapes.get(name)!], createRng(streamSeed(seed, `input ${name}`)), 0, 1));
}

/** Rows `[0, n)` of a batch-major tensor (a backend tested at batch 1 against a batch-2 reference). */
export function firstRows(t: Tensor, n: number): Tensor {
  const per = sizeOf(t.shape.slice(1));
  return { shape: [n, ...t.shape.slice(1)], data: t.data.slice(0, n * per) };
}
