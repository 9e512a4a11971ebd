// Small specs and seeded weights shared by the export tests.
import { SpecBuilder, paramInfos, type ModelSpec } from '@convzoo/spec';
import type { WeightMap } from '@convzoo/backend';

/** Deterministic pseudo-random weights in [-0.5, 0.5) (a tiny LCG: tests need variety, not quality). */
export function seededWeights(spec: ModelSpec, seed = 1): WeightMap {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5;
  const out: WeightMap = {};
  for (const p of paramInfos(spec)) {
    const n = p.shape.reduce((a, b) => a * b, 1);
    // Kernels scaled by 1/sqrt(fan-in) keep activations near 1 through deep stacks (like Keras' initialisers).
    const scale = p.param === 'kernel' ? 2 / Math.sqrt(n / p.shape[p.shape.length - 1]!) : 1;
    const data = Float32Array.from({ length: n }, () => next() * scale);
    // BN variances must be positive.
    if (p.param === 'moving_variance') data.forEach((v, i) => (data[i] = 0.5 + Math.abs(v)));
    out[p.name] = { shape: [...p.shape], data };
  }
  return out;
}

/** The seed tutorial's LeNet on MNIST. */
export function lenet(): ModelSpec {
  const b = new SpecBuilder('lenet');
  let x = b.input([28, 28, 1]);
  x = b.conv2d(x, { filters: 20, kernelSize: 5, activation: 'relu' });
  x = b.maxPool2d(x, { poolSize: 2 });
  x = b.conv2d(x, { filters: 50, kernelSize: 5, activation: 'relu' });
  x = b.maxPool2d(x, { poolSize: 2 });
  x = b.flatten(x);
  x = b.dense(x, { units: 500, activation: 'relu' });
  return b.build(b.dense(x, { units: 10, activation: 'softmax' }));
}
