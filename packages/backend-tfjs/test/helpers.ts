// Shared by the tfjs tests: the registry set up with the two backends that run in Node, and small seeded data.
import { compile, createRng, isTrainable, registerBackend, type CompileOptions, type Tensor, type TrainableModel } from '@convzoo/backend';
import type { ModelSpec } from '@convzoo/models';
import { tfjsFactories } from '../src/index.js';

export const NODE_BACKENDS = ['tfjs-cpu', 'tfjs-wasm'] as const;

export function registerNodeBackends(): void {
  for (const f of tfjsFactories({ only: [...NODE_BACKENDS] })) registerBackend(f);
}

export function randomTensor(shape: number[], seed: number, lo = -1, hi = 1): Tensor {
  const rng = createRng(seed);
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = lo + (hi - lo) * rng();
  return { shape, data };
}

/** One-hot rows for the given classes. */
export function oneHot(labels: number[], classes: number): Tensor {
  const data = new Float32Array(labels.length * classes);
  labels.forEach((l, i) => (data[i * classes + l] = 1));
  return { shape: [labels.length, classes], data };
}

export async function trainable(spec: ModelSpec, options: CompileOptions): Promise<TrainableModel> {
  const m = await compile(spec, options);
  if (!isTrainable(m)) throw new Error(`${m.backend} returned a model without trainStep`);
  return m;
}
