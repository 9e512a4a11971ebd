// Keras' default initialisers, seeded: glorot uniform kernels, zero biases, BatchNorm gamma 1, beta 0, moving mean 0,
// moving variance 1. Names and shapes come from the spec (paramInfos), so every backend starts from the same numbers.
import { paramInfos, type ModelSpec, type ParamInfo } from '@convzoo/models';
import type { Tensor, WeightMap } from './contract.js';
import { createRng, streamSeed } from './rng.js';
import { sizeOf } from './tensor.js';

/** Keras `compute_fans`: the receptive field (all but the last two axes) multiplies both fans. */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length < 2) {
    const n = shape[0] ?? 1;
    return { fanIn: n, fanOut: n };
  }
  const receptive = sizeOf(shape.slice(0, -2));
  return { fanIn: shape[shape.length - 2]! * receptive, fanOut: shape[shape.length - 1]! * receptive };
}

/** Glorot (Xavier) uniform: U(-limit, limit), limit = sqrt(6 / (fan_in + fan_out)). */
export function glorotUniform(shape: readonly number[], rng: () => number): Float32Array {
  const { fanIn, fanOut } = fans(shape);
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = (rng() * 2 - 1) * limit;
  return data;
}

/** The Keras default value of one parameter; its random stream depends only on (seed, name). */
export function initParam(p: ParamInfo, seed: number): Tensor {
  const size = sizeOf(p.shape);
  switch (p.param) {
    case 'kernel':
      return { shape: [...p.shape], data: glorotUniform(p.shape, createRng(streamSeed(seed, p.name))) };
    case 'gamma':
    case 'moving_variance':
      return { shape: [...p.shape], data: new Float32Array(size).fill(1) };
    case 'bias':
    case 'beta':
    case 'moving_mean':
      return { shape: [...p.shape], data: new Float32Array(size) };
  }
}

/** Every parameter of the spec with Keras' default initial values, reproducible from `seed` (default 0). */
export function initWeights(spec: ModelSpec, seed = 0): WeightMap {
  const out: WeightMap = {};
  for (const p of paramInfos(spec)) out[p.name] = initParam(p, seed);
  return out;
}
