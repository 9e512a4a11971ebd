import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
// tfjs-core registers no gradients by itself in Node; tfjs-layers does.
import '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2dBackpropFilter, conv2dBackpropInput, installKernels, replacedKernels } from '../src/kernels/index.js';
import { stockKernels } from '../src/kernels/stock.js';
import { patchLimits } from '../src/kernels/im2col.js';
import { type ConvCase, geometry, randomArray, refConvGrads, relError, seeded } from './kernels-reference.js';

const BACKENDS = ['cpu', 'wasm'] as const;
type Stock = Partial<Record<string, tf.KernelFunc>>;
const stock: Record<string, Stock> = {};

beforeAll(async () => {
  for (const b of BACKENDS) {
    stock[b] = Object.fromEntries(replacedKernels(b).map((k) => [k, tf.getKernel(k, b)?.kernelFunc]));
    await tf.setBackend(b);
    installKernels(tf, b);
    installKernels(tf, b); // twice: must not stack
  }
});

/** Runs a stock kernel function on the active backend and returns its data, freeing its output. */
function runStock(backend: string, kernel: string, inputs: tf.NamedTensorMap, attrs: object): Float32Array {
  const f = stock[backend]?.[kernel];
  if (!f) throw new Error(`no stock ${kernel} on ${backend}`);
  const out = f({ inputs, backend: tf.backend(), attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
  const data = tf.backend().readSync(out.dataId) as Float32Array;
  tf.backend().disposeData(out.dataId);
  return data;
}

function run(kernel: string, inputs: tf.NamedTensorMap, attrs: object): Float32Array {
  const out = tf.engine().runKernel(kernel, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;
  const data = out.dataSync() as Float32Array;
  out.dispose();
  return data;
}

/** tfjs' explicit NHWC padding from the (top, bottom) and (left, right) pairs. */
const explicitPad = (rows: [number, number], cols: [number, number]): ConvCase['pad'] => [[0, 0], rows, cols, [0, 0]];

const CASES: ConvCase[] = [
  { name: 'valid s1 batch 2', x: [2, 7, 7, 3], k: [3, 3, 3, 4], strides: [1, 1], dilations: [1, 1], pad: 'valid' },
  { name: 'same s2 even size', x: [2, 8, 8, 2], k: [3, 3, 2, 3], strides: [2, 2], dilations: [1, 1], pad: 'same' },
  { name: 'valid s2 odd non-square, even kernel', x: [1, 9, 7, 2], k: [4, 3, 2, 3], strides: [2, 2], dilations: [1, 1], pad: 'valid' },
  { name: 'same s2 k5 on 6x6', x: [2, 6, 6, 3], k: [5, 5, 3, 2], strides: [2, 2], dilations: [1, 1], pad: 'same' },
  { name: 'valid strides [1, 2]', x: [2, 6, 9, 2], k: [2, 3, 2, 5], strides: [1, 2], dilations: [1, 1], pad: 'valid' },
  { name: 'explicit asymmetric', x: [2, 6, 5, 2], k: [3, 3, 2, 3], strides: [1, 1], dilations: [1, 1], pad: explicitPad([1, 2], [2, 0]) },
  { name: 'explicit larger than kernel, s2', x: [1, 5, 6, 2], k: [3, 2, 2, 2], strides: [2, 2], dilations: [1, 1], pad: explicitPad([4, 1], [0, 3]) },
  { name: 'LeNet-like', x: [3, 12, 12, 4], k: [5, 5, 4, 6], strides: [1, 1], dilations: [1, 1], pad: 'valid' },
  { name: 'dilation 2 same', x: [2, 9, 8, 2], k: [3, 3, 2, 3], strides: [1, 1], dilations: [2, 2], pad: 'same' },
  { name: 'dilation [2, 3] valid', x: [1, 10, 11, 3], k: [3, 2, 3, 2], strides: [1, 1], dilations: [2, 3], pad: 'valid' },
];

function convInputs(c: ConvCase, seed: number) {
  const rand = seeded(seed);
  const g = geometry(c);
  const outShape: [number, number, number, number] = [c.x[0], g.outH, g.outW, c.k[3]];
  const x = randomArray(
    c.x.reduce((a, b) => a * b),
    rand,
  );
  const w = randomArray(
    c.k.reduce((a, b) => a * b),
    rand,
  );
  const dy = randomArray(
    outShape.reduce((a, b) => a * b),
    rand,
  );
  return { x, w, dy, outShape };
}

describe.each(BACKENDS)('conv2d gradients on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
  });

  it.each(CASES)('$name: dW and dx match the float64 definition and finite differences', (c) => {
    const { x, w, dy, outShape } = convInputs(c, 7);
    const ref = refConvGrads(c, x, w, dy);
    const [xt, wt, dyt] = [tf.tensor4d(x, c.x), tf.tensor4d(w, c.k), tf.tensor4d(dy, outShape)];
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: c.dilations };
    const before = tf.backend().numDataIds();
    const dW = run('Conv2DBackpropFilter', { x: xt, dy: dyt }, { ...attrs, filterShape: c.k });
    const dx = run('Conv2DBackpropInput', { dy: dyt, filter: wt }, { ...attrs, inputShape: c.x });
    expect(tf.backend().numDataIds()).toBe(before);
    expect(relError(dW, ref.dW)).toBeLessThan(1e-5);
    expect(relError(dx, ref.dx)).toBeLessThan(1e-5);

    // The loss sum(conv(x, W) * dy) is linear in W and in x, so a central difference with step 1 is exact up
    // to rounding; it ties the reference's padding conventions to tfjs' own forward conv.
    const loss = (xx: tf.Tensor4D, ww: tf.Tensor4D) =>
      tf.tidy(() => tf.sum(tf.mul(tf.conv2d(xx, ww, c.strides, c.pad, 'NHWC', c.dilations), dyt)).dataSync()[0]!);
    const rand = seeded(11);
    for (let t = 0; t < 4; t++) {
      for (const [arr, which] of [
        [w, 'w'],
        [x, 'x'],
      ] as const) {
        const idx = Math.floor((rand() + 0.5) * arr.length);
        const plus = arr.slice();
        const minus = arr.slice();
        plus[idx]! += 1;
        minus[idx]! -= 1;
        const f = (a: Float32Array) => (which === 'w' ? loss(xt, tf.tensor4d(a, c.k)) : loss(tf.tensor4d(a, c.x), wt));
        const fd = (f(plus) - f(minus)) / 2;
        const got = which === 'w' ? dW[idx]! : dx[idx]!;
        const scale = Math.max(...Array.from(which === 'w' ? ref.dW : ref.dx, Math.abs));
        expect(Math.abs(fd - got) / scale, `${which}[${idx}]`).toBeLessThan(1e-4);
      }
    }
    tf.dispose([xt, wt, dyt]);
  });

  it.each(CASES)('$name: both routes of dx (padded correlation | GEMM + col2im) and dW (conv | GEMM) agree with the definition', (c) => {
    const { x, w, dy, outShape } = convInputs(c, 9);
    const ref = refConvGrads(c, x, w, dy);
    const funcs = Object.fromEntries(['Conv2D', 'Transpose', 'BatchMatMul', 'Reshape'].map((k) => [k, tf.getKernel(k, backend)!.kernelFunc]));
    const stockNow = stockKernels(funcs, tf.backend());
    const [wt, dyt] = [tf.tensor4d(w, c.k), tf.tensor4d(dy, outShape)];
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC' as const, dilations: c.dilations, inputShape: c.x };
    const xt = tf.tensor4d(x, c.x);
    const before = tf.backend().numDataIds();
    const whole = patchLimits.chunkFloats;
    // 'gemm-chunked': a patch limit of one float forces one image per chunk.
    try {
      for (const route of ['gemm', 'gemm-chunked', 'conv'] as const) {
        patchLimits.chunkFloats = route === 'gemm-chunked' ? 1 : whole;
        const how = route === 'gemm-chunked' ? 'gemm' : route;
        const out = conv2dBackpropInput(tf, stockNow, dyt, wt, attrs, how);
        expect(out.shape).toEqual(c.x);
        expect(relError(tf.backend().readSync(out.dataId) as Float32Array, ref.dx), `dx ${route}`).toBeLessThan(1e-5);
        stockNow.dispose(out);
        const dW = conv2dBackpropFilter(tf, stockNow, xt, dyt, { ...attrs, filterShape: c.k }, how);
        expect(dW.shape).toEqual(c.k);
        expect(relError(tf.backend().readSync(dW.dataId) as Float32Array, ref.dW), `dW ${route}`).toBeLessThan(1e-5);
        stockNow.dispose(dW);
      }
    } finally {
      patchLimits.chunkFloats = whole;
    }
    expect(tf.backend().numDataIds()).toBe(before);
    tf.dispose([wt, dyt, xt]);
  });

  it('autodiff of conv2d uses the replacements (tf.grads)', () => {
    const c = CASES[1]!;
    const { x, w, dy, outShape } = convInputs(c, 3);
    const ref = refConvGrads(c, x, w, dy);
    const dyt = tf.tensor4d(dy, outShape);
    const g = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, c.strides, c.pad), dyt)));
    const [gx, gw] = g([tf.tensor4d(x, c.x), tf.tensor4d(w, c.k)]);
    expect(relError(gw!.dataSync(), ref.dW)).toBeLessThan(1e-5);
    expect(relError(gx!.dataSync(), ref.dx)).toBeLessThan(1e-5);
    tf.dispose([dyt, gx!, gw!]);
  });
});

describe('against the stock cpu kernels (correct but slow)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  it.each(CASES.filter((c) => c.dilations.every((d) => d === 1)))('$name', (c) => {
    const { x, w, dy, outShape } = convInputs(c, 5);
    const [xt, wt, dyt] = [tf.tensor4d(x, c.x), tf.tensor4d(w, c.k), tf.tensor4d(dy, outShape)];
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC' };
    const fAttrs = { ...attrs, filterShape: c.k };
    const iAttrs = { ...attrs, inputShape: c.x };
    expect(relError(run('Conv2DBackpropFilter', { x: xt, dy: dyt }, fAttrs), runStock('cpu', 'Conv2DBackpropFilter', { x: xt, dy: dyt }, fAttrs))).toBeLessThan(
      1e-5,
    );
    expect(
      relError(run('Conv2DBackpropInput', { dy: dyt, filter: wt }, iAttrs), runStock('cpu', 'Conv2DBackpropInput', { dy: dyt, filter: wt }, iAttrs)),
    ).toBeLessThan(1e-5);
    tf.dispose([xt, wt, dyt]);
  });
});

/** Reference max-pool gradient: each window routes dy to its first maximum (row-major), as TensorFlow does. */
function refMaxPoolGrad(x: Float32Array, xs: number[], dy: Float32Array, k: number, s: number, pad: 'valid' | 'same') {
  const [N = 0, H = 0, W = 0, C = 0] = xs;
  const OH = pad === 'same' ? Math.ceil(H / s) : Math.ceil((H - k + 1) / s);
  const OW = pad === 'same' ? Math.ceil(W / s) : Math.ceil((W - k + 1) / s);
  const top = pad === 'same' ? Math.floor(Math.max(0, (OH - 1) * s + k - H) / 2) : 0;
  const left = pad === 'same' ? Math.floor(Math.max(0, (OW - 1) * s + k - W) / 2) : 0;
  const dx = new Float64Array(x.length);
  for (let n = 0; n < N; n++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++)
        for (let c = 0; c < C; c++) {
          let best = -Infinity;
          let at = -1;
          for (let i = 0; i < k; i++)
            for (let j = 0; j < k; j++) {
              const h = oh * s + i - top;
              const w = ow * s + j - left;
              if (h < 0 || h >= H || w < 0 || w >= W) continue;
              const idx = ((n * H + h) * W + w) * C + c;
              if (at < 0 || x[idx]! > best) [best, at] = [x[idx]!, idx];
            }
          dx[at]! += dy[((n * OH + oh) * OW + ow) * C + c]!;
        }
  return { dx, outShape: [N, OH, OW, C] };
}

describe.each(BACKENDS)('pooling gradients on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
  });
  const poolCases = [
    { name: '2x2 s2 valid (LeNet)', xs: [2, 8, 8, 3], k: 2, s: 2, pad: 'valid' as const },
    { name: '3x3 s2 same, overlapping, odd size', xs: [2, 7, 9, 2], k: 3, s: 2, pad: 'same' as const },
    { name: '3x3 s1 valid', xs: [1, 6, 5, 4], k: 3, s: 1, pad: 'valid' as const },
  ];

  it.each(poolCases)('MaxPoolGrad $name matches the definition and tf.grads of maxPool', ({ xs, k, s, pad }) => {
    const rand = seeded(21);
    // Integers with ties, shifted negative: ties test first-max routing, negatives the wasm FLT_MIN bug.
    const x = Float32Array.from({ length: xs.reduce((a, b) => a * b) }, () => Math.round(rand() * 6) - 4);
    const xt = tf.tensor4d(x, xs as [number, number, number, number]);
    const y = tf.maxPool(xt, k, s, pad);
    const dy = randomArray(y.size, rand);
    const ref = refMaxPoolGrad(x, xs, dy, k, s, pad);
    expect(y.shape).toEqual(ref.outShape);
    const dyt = tf.tensor(dy, y.shape);
    const got = run('MaxPoolGrad', { dy: dyt, input: xt, output: y }, { filterSize: k, strides: s, pad });
    expect(relError(got, ref.dx)).toBeLessThan(1e-6);
    const gx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, k, s, pad), dyt)))(xt);
    expect(relError(gx.dataSync(), ref.dx)).toBeLessThan(1e-6);
    tf.dispose([xt, y, dyt, gx]);
  });

  it('MaxPoolGrad routes gradients of all-negative windows (stock wasm 4.22 drops them)', () => {
    const x = tf.tensor4d([-3, -1, -2, -5], [1, 2, 2, 1]);
    const y = tf.maxPool(x, 2, 2, 'valid');
    const dy = tf.tensor4d([1], [1, 1, 1, 1]);
    const attrs = { filterSize: 2, strides: 2, pad: 'valid' };
    expect(Array.from(run('MaxPoolGrad', { dy, input: x, output: y }, attrs))).toEqual([0, 1, 0, 0]);
    if (backend === 'wasm') {
      // The input really exercises the stock bug: if tfjs fixes it, this replacement can go.
      expect(Array.from(runStock('wasm', 'MaxPoolGrad', { dy, input: x, output: y }, attrs))).not.toEqual([0, 1, 0, 0]);
    }
    tf.dispose([x, y, dy]);
  });

  it.each([
    { xs: [2, 6, 6, 3], k: 2, s: 2, pad: 'valid' as const },
    { xs: [2, 7, 5, 2], k: 3, s: 2, pad: 'same' as const },
    { xs: [1, 11, 11, 2], k: 5, s: 3, pad: 'valid' as const },
  ])('AvgPoolGrad $k x $k s$s $pad matches finite differences of the forward avgPool', ({ xs, k, s, pad }) => {
    const rand = seeded(31);
    const x = randomArray(
      xs.reduce((a, b) => a * b),
      rand,
    );
    const xt = tf.tensor4d(x, xs as [number, number, number, number]);
    const y = tf.avgPool(xt, k, s, pad);
    const dyt = tf.tensor(randomArray(y.size, rand), y.shape);
    const got = run('AvgPoolGrad', { dy: dyt, input: xt }, { filterSize: k, strides: s, pad });
    // Linear in x: a unit central difference of sum(avgPool(x) * dy) is exact up to rounding.
    const loss = (a: Float32Array) =>
      tf.tidy(() => tf.sum(tf.mul(tf.avgPool(tf.tensor4d(a, xs as [number, number, number, number]), k, s, pad), dyt)).dataSync()[0]!);
    for (let idx = 0; idx < x.length; idx += 7) {
      const plus = x.slice();
      const minus = x.slice();
      plus[idx]! += 1;
      minus[idx]! -= 1;
      expect(Math.abs((loss(plus) - loss(minus)) / 2 - got[idx]!), `dx[${idx}]`).toBeLessThan(1e-5);
    }
    tf.dispose([xt, y, dyt]);
  });
});

describe('BatchMatMul with transposed operands on wasm', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
  });
  it.each([
    [false, true],
    [true, false],
    [true, true],
  ])('transposeA=%s transposeB=%s, rank 2 and 3', (ta, tb) => {
    const rand = seeded(41);
    for (const batch of [[], [3]]) {
      const [m, k, n] = [5, 7, 4];
      const a = tf.tensor(randomArray(m * k * (batch[0] ?? 1), rand), [...batch, ...(ta ? [k, m] : [m, k])]);
      const b = tf.tensor(randomArray(k * n * (batch[0] ?? 1), rand), [...batch, ...(tb ? [n, k] : [k, n])]);
      const got = tf.matMul(a, b, ta, tb);
      // The same product with the transposes done as ops: the untransposed fast path is not replaced.
      const want = tf.matMul(ta ? tf.transpose(a, batch.length ? [0, 2, 1] : [1, 0]) : a, tb ? tf.transpose(b, batch.length ? [0, 2, 1] : [1, 0]) : b);
      expect(got.shape).toEqual([...batch, m, n]);
      expect(relError(got.dataSync(), want.dataSync())).toBeLessThan(1e-6);
      // and the stock kernel (slow but correct) agrees
      const s = runStock('wasm', 'BatchMatMul', { a, b }, { transposeA: ta, transposeB: tb });
      expect(relError(got.dataSync(), s)).toBeLessThan(1e-5);
      tf.dispose([a, b, got, want]);
    }
  });
});
