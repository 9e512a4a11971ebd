// THE sample pipeline's rules, for every package that feeds a model (train's fit, the apps): the Keras
// validation split, seeded Fisher-Yates shuffles, and sample-axis views and gathers of in-memory tensors. Here because
// both datasets and train may import backend, and neither may import the other.
import type { Tensor } from './contract.js';
import { BackendError } from './errors.js';
import { createRng } from './rng.js';

/** Training data: one tensor (or one per model input/output), samples along axis 0. */
export interface Samples {
  x: Tensor | Tensor[];
  y: Tensor | Tensor[];
}

/** A generator of floats in [0, 1). */
export type Rng = () => number;

/** A uniform random integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** A random permutation of 0..n-1 (Fisher-Yates), drawn from `rng`. */
export function permutation(n: number, rng: Rng): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    const tmp = order[i]!;
    order[i] = order[j]!;
    order[j] = tmp;
  }
  return order;
}

/**
 * Keras' split point for `validation_split`: `floor(n * (1 - validationSplit))` in float64, exactly as
 * keras/src/trainers/data_adapters/array_slicing.py `train_validation_split` computes it; like Keras, a split that
 * leaves either part empty is an error.
 */
export function validationSplitIndex(n: number, validationSplit: number): number {
  if (!(validationSplit > 0 && validationSplit < 1)) throw new BackendError('config', `validationSplit must be in (0, 1), got ${validationSplit}`);
  const splitAt = Math.floor(n * (1.0 - validationSplit));
  if (splitAt === 0 || splitAt === n) {
    throw new BackendError(
      'config',
      `${n} samples are not enough to split into training and validation sets with validationSplit=${validationSplit}: it leaves no ${splitAt === 0 ? 'training' : 'validation'} samples`,
    );
  }
  return splitAt;
}

export function asList(t: Tensor | Tensor[]): Tensor[] {
  return Array.isArray(t) ? t : [t];
}

function rowSize(t: Tensor): number {
  return t.shape.slice(1).reduce((a, b) => a * b, 1);
}

/** Number of samples; every x and y tensor must agree on it, else the error names the mismatch. */
export function sampleCount(data: Samples): number {
  const all = [...asList(data.x).map((t, i) => ({ t, what: `x[${i}]` })), ...asList(data.y).map((t, i) => ({ t, what: `y[${i}]` }))];
  if (all.length === 0) throw new Error('training data has no tensors');
  const first = all[0]!;
  const n = first.t.shape[0];
  if (n === undefined) throw new Error(`training data ${first.what} is a scalar; axis 0 must be the sample axis`);
  for (const { t, what } of all) {
    if (t.shape[0] !== n) throw new Error(`training data ${what} has ${t.shape[0]} samples but ${first.what} has ${n}`);
    const expected = n * rowSize(t);
    if (t.data.length !== expected) {
      throw new Error(`training data ${what}: shape [${t.shape.join(', ')}] needs ${expected} values, found ${t.data.length}`);
    }
  }
  return n;
}

/** Rows [start, end) as views (no copy). */
export function sliceRows(t: Tensor, start: number, end: number): Tensor {
  const r = rowSize(t);
  return { shape: [end - start, ...t.shape.slice(1)], data: t.data.subarray(start * r, end * r) };
}

/** The rows listed in `indices`, copied in that order. */
export function gatherRows(t: Tensor, indices: ArrayLike<number>): Tensor {
  const r = rowSize(t);
  const out = new Float32Array(indices.length * r);
  for (let i = 0; i < indices.length; i++) {
    const src = indices[i]! * r;
    out.set(t.data.subarray(src, src + r), i * r);
  }
  return { shape: [indices.length, ...t.shape.slice(1)], data: out };
}

function mapSamples(data: Samples, f: (t: Tensor) => Tensor): Samples {
  return {
    x: Array.isArray(data.x) ? data.x.map(f) : f(data.x),
    y: Array.isArray(data.y) ? data.y.map(f) : f(data.y),
  };
}

export function sliceSamples(data: Samples, start: number, end: number): Samples {
  return mapSamples(data, (t) => sliceRows(t, start, end));
}

export function gatherSamples(data: Samples, indices: ArrayLike<number>): Samples {
  return mapSamples(data, (t) => gatherRows(t, indices));
}

/**
 * Keras' `validation_split`: the LAST `fraction` of the samples, taken before any shuffling.
 * `split_at = int(n * (1 - fraction))`, so 0.95 of MNIST's 60,000 trains on the first 3,000.
 */
export function splitValidation(data: Samples, fraction: number): { train: Samples; validation: Samples } {
  const n = sampleCount(data);
  const splitAt = validationSplitIndex(n, fraction);
  return { train: sliceSamples(data, 0, splitAt), validation: sliceSamples(data, splitAt, n) };
}

/**
 * The sample order of one epoch: a Fisher-Yates permutation seeded by (seed, epoch), so a resumed run
 * sees exactly the order an uninterrupted run would have seen.
 */
export function epochPermutation(n: number, seed: number, epoch: number): Uint32Array {
  return permutation(n, createRng((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca6b)) >>> 0));
}
