// Small specs and seeded weights shared by the export tests.
import { SpecBuilder, paramInfos, type ModelSpec } from '@convzoo/models';
import type { WeightMap } from '@convzoo/backend';

/** Deterministic pseudo-random weights in [-0.5, 0.5) (a tiny LCG: tests need variety, not quality). */
export function seededWeights(spec: ModelSpec, seed = 1): WeightMap {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5;
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

/** The tutorial's LeNet on MNIST. */
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

/**
 * Every layer kind in one small graph, on the shapes where engines differ: TF 'same' with stride 2 on even and odd
 * sizes, dilation + groups, 'same' max/avg pooling (avg excludes padding), asymmetric zero padding and explicit conv
 * padding, LRN, bilinear/nearest resize up and down, channel softmax on an image output, four outputs.
 * scripts/keras-check.py confirmed onnx-cpu computes it as Keras 3 does (max relative error 6.7e-6).
 */
export function allKinds(): ModelSpec {
  const b = new SpecBuilder('allkinds');
  const x = b.input([10, 9, 6]);
  const a = b.conv2d(x, { filters: 6, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' });
  let g = b.conv2d(x, { filters: 6, kernelSize: 3, dilation: 2, padding: 'same', groups: 2 });
  g = b.maxPool2d(g, { poolSize: 3, strides: 2, padding: 'same' });
  let c = b.add([a, g]);
  c = b.batchNorm(c, { epsilon: 1e-3 });
  c = b.lrn(c, { depthRadius: 2, alpha: 0.05, beta: 0.75, bias: 1.5 });
  let d = b.zeroPad2d(c, { padding: { top: 1, bottom: 2, left: 0, right: 1 } });
  d = b.avgPool2d(d, { poolSize: 3, strides: 2, padding: 'same' });
  const up = b.resize(d, { size: [7, 5], method: 'bilinear' });
  const upNearest = b.resize(d, { size: [7, 5], method: 'nearest' });
  const down = b.resize(up, { size: [3, 2], method: 'nearest' });
  const downLinear = b.resize(up, { size: [3, 2], method: 'bilinear' });
  const cat = b.concat([up, upNearest]);
  let h = b.conv2d(cat, { filters: 4, kernelSize: [2, 3], padding: { top: 1, bottom: 0, left: 2, right: 1 } });
  h = b.activation(h, { activation: 'tanh' });
  let v = b.dense(b.flatten(h), { units: 5, activation: 'sigmoid' });
  v = b.dropout(v, { rate: 0.5 });
  const p = b.dense(b.globalAvgPool2d(cat), { units: 3, activation: 'softmax' });
  const s = b.activation(h, { activation: 'softmax' });
  return b.build([v, p, s, b.concat([down, downLinear])]);
}

/** Max |got - want| over max |want|, per output. */
export function relErr(got: Float32Array, want: Float32Array): number {
  const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 1e-12);
  return got.reduce((m, v, i) => Math.max(m, Math.abs(v - want[i]!)), 0) / scale;
}
