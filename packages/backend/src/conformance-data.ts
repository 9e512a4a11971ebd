// The numbers the conformance suite feeds every backend and the references it compares them with. No vitest here:
// the fixture scripts and the self-test import this too.
import { inferShapes, paramInfos, type ModelSpec } from '@convzoo/models';
import { createRng, initWeights, sizeOf, streamSeed, type Tensor, type WeightMap } from '@convzoo/backend';
import references from '../fixtures/conformance-references.json';

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

export interface Reference {
  /** What computed it, e.g. `keras layers = keras.applications.ResNet50`, `torch 1.13 torchvision.models.resnet18`. */
  source: string;
  outputs: Tensor[];
  /** Sum and sum of |w| of every weight it was computed with: the seeded weights must still be the same. */
  weightSum: number;
  weightAbsSum: number;
}

interface StoredReference {
  source: string;
  seed: number;
  weightSum: number;
  weightAbsSum: number;
  outputs: { shape: number[]; data: number[] }[];
}
const stored = references as { generator: string; cases: Record<string, StoredReference>; torch?: Record<string, StoredReference> };

/** Which frameworks computed the fixtures. */
export const REFERENCE_GENERATOR: string = stored.generator;

const toReference = (r: StoredReference): Reference => ({
  source: r.source,
  weightSum: r.weightSum,
  weightAbsSum: r.weightAbsSum,
  outputs: r.outputs.map((o) => ({ shape: o.shape, data: Float32Array.from(o.data) })),
});

/** The Keras reference of a conformance case (by its name), if the fixtures have one. */
export function kerasReference(caseName: string): Reference | undefined {
  const r = stored.cases[caseName];
  return r && toReference(r);
}

/** The PyTorch reference of a torchvision-flavour case, if the fixtures have one. */
export function torchReference(caseName: string): Reference | undefined {
  const r = stored.torch?.[caseName];
  return r && toReference(r);
}

/** Why `weights` are not the ones a reference was computed from, or undefined when they are. */
export function weightsMismatch(weights: WeightMap, ref: Reference): string | undefined {
  let sum = 0;
  for (const t of Object.values(weights)) for (let i = 0; i < t.data.length; i++) sum += t.data[i]!;
  return Math.abs(sum - ref.weightSum) <= 1e-7 * Math.max(1, ref.weightAbsSum)
    ? undefined
    : `the seeded weights sum to ${sum}, the reference's to ${ref.weightSum}: the generator changed, regenerate fixtures/conformance-references.json`;
}

/** Rows `[0, n)` of a batch-major tensor (a backend tested at batch 1 against a batch-2 reference). */
export function firstRows(t: Tensor, n: number): Tensor {
  const per = sizeOf(t.shape.slice(1));
  return { shape: [n, ...t.shape.slice(1)], data: t.data.slice(0, n * per) };
}
