// Optimizers, losses and BatchNorm statistics against hand-computed Keras formulas; optimizer state round trip;
// dropout reproducibility; and training errors that name what is wrong.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { BackendError, compile, resolveBackend, type OptimizerConfig, type Tensor, type WeightMap } from '@convzoo/backend';
import { SpecBuilder, type ModelSpec } from '@convzoo/models';
import { oneHot, randomTensor, registerNodeBackends, trainable } from './helpers.js';

beforeAll(registerNodeBackends);

/** x (batch 2, three features as a 1x1x3 image) -> dense 2 softmax: gradients are easy to write by hand. */
function softmaxRegression(): ModelSpec {
  const b = new SpecBuilder('softmax_regression');
  const x = b.flatten(b.input([1, 1, 3]));
  return b.build(b.dense(x, { units: 2, activation: 'softmax' }));
}

const X = [
  [0.5, -1.2, 0.3],
  [1.5, 0.2, -0.7],
];
const Y = [
  [1, 0],
  [0, 1],
];

/** Loss and gradients of mean categorical cross-entropy for the softmax regression, in float64. */
function handGradients(W: number[][], b: number[]): { loss: number; dW: number[][]; db: number[] } {
  const dW = W.map((r) => r.map(() => 0));
  const db = b.map(() => 0);
  let loss = 0;
  X.forEach((x, n) => {
    const z = b.map((bj, j) => bj + x.reduce((s, xi, i) => s + xi * W[i]![j]!, 0));
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const p = e.map((v) => v / e.reduce((a, c) => a + c, 0));
    loss -= Y[n]!.reduce((s, yj, j) => s + yj * Math.log(p[j]!), 0) / X.length;
    p.forEach((pj, j) => {
      const dz = (pj - Y[n]![j]!) / X.length;
      db[j] = db[j]! + dz;
      x.forEach((xi, i) => (dW[i]![j] = dW[i]![j]! + xi * dz));
    });
  });
  return { loss, dW, db };
}

type Slots = { m: number[]; v: number[] };

/** Keras' update rules, in float64, on flat arrays. */
function handStep(config: OptimizerConfig, step: number, p: number[], g: number[], s: Slots): void {
  if (config.kind === 'adam') {
    const { learningRate: lr = 1e-3, beta1: b1 = 0.9, beta2: b2 = 0.999, epsilon: eps = 1e-7 } = config;
    const t = step + 1;
    const lrT = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    p.forEach((_, i) => {
      s.m[i] = s.m[i]! + (g[i]! - s.m[i]!) * (1 - b1);
      s.v[i] = s.v[i]! + (g[i]! ** 2 - s.v[i]!) * (1 - b2);
      p[i] = p[i]! - (lrT * s.m[i]!) / (Math.sqrt(s.v[i]!) + eps);
    });
  } else {
    const { learningRate = 0.01, momentum = 0, nesterov = false, decay = 0 } = config;
    const lr = learningRate / (1 + decay * step);
    p.forEach((_, i) => {
      s.m[i] = momentum * s.m[i]! - lr * g[i]!;
      p[i] = p[i]! + (momentum > 0 ? (nesterov ? momentum * s.m[i]! - lr * g[i]! : s.m[i]!) : -lr * g[i]!);
    });
  }
}

const x: Tensor = { shape: [2, 1, 1, 3], data: Float32Array.from(X.flat()) };
const y: Tensor = { shape: [2, 2], data: Float32Array.from(Y.flat()) };

describe.each(['tfjs-cpu', 'tfjs-wasm'])('optimizers on %s match Keras formulas computed by hand', (backend) => {
  const configs: OptimizerConfig[] = [
    { kind: 'adam' },
    { kind: 'adam', learningRate: 0.05, beta1: 0.8, beta2: 0.99, epsilon: 1e-3 },
    { kind: 'sgd', learningRate: 0.1 },
    { kind: 'sgd', learningRate: 0.1, momentum: 0.9, decay: 0.5 },
    { kind: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true, decay: 0.1 },
  ];
  it.each(configs)('%o: 4 steps, loss and weights', async (optimizer) => {
    const spec = softmaxRegression();
    const model = await trainable(spec, { backend, seed: 5, training: { loss: 'categoricalCrossentropy', optimizer } });
    const w0 = await model.getWeights();
    const W = [0, 1, 2].map((i) => [0, 1].map((j) => w0['dense/kernel']!.data[i * 2 + j]!));
    const b = [0, 0];
    const flat = () => [...W.flat(), ...b];
    const slots: Slots = { m: flat().map(() => 0), v: flat().map(() => 0) };
    for (let step = 0; step < 4; step++) {
      const { loss, dW, db } = handGradients(W, b);
      const result = await model.trainStep(x, y);
      expect(result.loss).toBeCloseTo(loss, 5);
      expect(result.losses).toHaveLength(1);
      const p = flat();
      handStep(optimizer, step, p, [...dW.flat(), ...db], slots);
      p.slice(0, 6).forEach((v, k) => (W[Math.floor(k / 2)]![k % 2] = v));
      b[0] = p[6]!;
      b[1] = p[7]!;
      const got = await model.getWeights();
      Array.from(got['dense/kernel']!.data).forEach((v, k) => expect(v, `kernel[${k}] after step ${step + 1}`).toBeCloseTo(W.flat()[k]!, 5));
      Array.from(got['dense/bias']!.data).forEach((v, k) => expect(v, `bias[${k}] after step ${step + 1}`).toBeCloseTo(b[k]!, 5));
    }
    const state = await model.getOptimizerState();
    expect(state.step).toBe(4);
    model.dispose();
  });
});

describe('optimizer state', () => {
  it('restoring weights and state continues exactly where training left off', async () => {
    const spec = softmaxRegression();
    const training = { loss: 'categoricalCrossentropy' as const, optimizer: { kind: 'adam' as const, learningRate: 0.01 } };
    const a = await trainable(spec, { backend: 'tfjs-cpu', seed: 1, training });
    for (let i = 0; i < 3; i++) await a.trainStep(x, y);
    const state = await a.getOptimizerState();
    expect(Object.keys(state.slots).sort()).toEqual(['dense/bias/m', 'dense/bias/v', 'dense/kernel/m', 'dense/kernel/v']);
    const b = await trainable(spec, { backend: 'tfjs-cpu', seed: 99, training, weights: await a.getWeights() });
    await b.setOptimizerState(state);
    const [ra, rb] = [await a.trainStep(x, y), await b.trainStep(x, y)];
    expect(rb.loss).toBe(ra.loss);
    expect(await b.getWeights()).toEqual(await a.getWeights());
    await expect(b.setOptimizerState({ step: 1, slots: { 'dense/kernel/x': state.slots['dense/kernel/m']! } })).rejects.toThrow(
      /unknown slot 'dense\/kernel\/x'/,
    );
    await expect(b.setOptimizerState({ step: 1, slots: { ...state.slots, 'dense/bias/v': { shape: [3], data: new Float32Array(3) } } })).rejects.toThrow(
      /'dense\/bias\/v' has shape \[3\] but \[2\]/,
    );
    a.dispose();
    b.dispose();
  });
});

describe('losses', () => {
  /** Two heads: sigmoid (binary) and softmax (sparse categorical), weighted 1 and 0.3 as GoogLeNet's aux heads. */
  function twoHeads(): ModelSpec {
    const b = new SpecBuilder('two_heads');
    const f = b.flatten(b.input([2, 2, 2]));
    return b.build([b.dense(f, { units: 1, activation: 'sigmoid', name: 'binary' }), b.dense(f, { units: 3, activation: 'softmax', name: 'classes' })]);
  }
  const clip = (p: number) => Math.min(Math.max(p, 1e-7), 1 - 1e-7);

  it('binary and sparse categorical cross-entropy with loss weights, as Keras computes them', async () => {
    const model = await trainable(twoHeads(), {
      backend: 'tfjs-cpu',
      seed: 2,
      training: { loss: ['binaryCrossentropy', 'sparseCategoricalCrossentropy'], lossWeights: [1, 0.3], optimizer: { kind: 'sgd' } },
    });
    const input = randomTensor([4, 2, 2, 2], 11);
    const yb: Tensor = { shape: [4, 1], data: Float32Array.from([1, 0, 0, 1]) };
    const ys: Tensor = { shape: [4], data: Float32Array.from([2, 0, 1, 1]) };
    const r = await model.evaluateStep(input, [yb, ys]);
    const [pb, ps] = r.outputs;
    const bce = Array.from(yb.data).reduce((s, t, i) => s - (t * Math.log(clip(pb!.data[i]!)) + (1 - t) * Math.log(1 - clip(pb!.data[i]!))), 0) / 4;
    const sce = Array.from(ys.data).reduce((s, c, i) => s - Math.log(clip(ps!.data[i * 3 + c]!)), 0) / 4;
    expect(r.losses[0]).toBeCloseTo(bce, 5);
    expect(r.losses[1]).toBeCloseTo(sce, 5);
    expect(r.loss).toBeCloseTo(bce + 0.3 * sce, 5);
    // evaluateStep never updates
    expect(await model.getOptimizerState()).toMatchObject({ step: 0 });
    model.dispose();
  });

  it('outputs without softmax/sigmoid are read as logits (log-softmax, sigmoid cross-entropy with logits)', async () => {
    const b = new SpecBuilder('logits');
    const f = b.flatten(b.input([2, 2, 2]));
    const spec = b.build([b.dense(f, { units: 1, name: 'binary' }), b.dense(f, { units: 3, name: 'classes' })]);
    const model = await trainable(spec, {
      backend: 'tfjs-cpu',
      seed: 8,
      training: { loss: ['binaryCrossentropy', 'categoricalCrossentropy'], optimizer: { kind: 'adam' } },
    });
    const input = randomTensor([3, 2, 2, 2], 12, -3, 3);
    const yb: Tensor = { shape: [3, 1], data: Float32Array.from([1, 0, 1]) };
    const yc = oneHot([2, 0, 1], 3);
    const r = await model.evaluateStep(input, [yb, yc]);
    const [zb, zc] = r.outputs;
    const bce = Array.from(zb!.data).reduce((s, z, i) => s + Math.max(z, 0) - z * yb.data[i]! + Math.log1p(Math.exp(-Math.abs(z))), 0) / 3;
    const cce =
      [0, 1, 2].reduce((s, n) => {
        const row = Array.from(zc!.data.subarray(n * 3, n * 3 + 3));
        const lse = Math.log(row.reduce((a, z) => a + Math.exp(z), 0));
        return s - row.reduce((a, z, j) => a + yc.data[n * 3 + j]! * (z - lse), 0);
      }, 0) / 3;
    expect(r.losses[0]).toBeCloseTo(bce, 5);
    expect(r.losses[1]).toBeCloseTo(cce, 5);
    model.dispose();
  });

  it('targets of the wrong shape or class range are named', async () => {
    const model = await trainable(twoHeads(), {
      backend: 'tfjs-cpu',
      training: { loss: ['binaryCrossentropy', 'sparseCategoricalCrossentropy'], optimizer: { kind: 'adam' } },
    });
    const input = randomTensor([2, 2, 2, 2], 1);
    const yb: Tensor = { shape: [2, 1], data: Float32Array.from([1, 0]) };
    await expect(model.trainStep(input, [yb])).rejects.toThrow(/2 outputs \(binary, classes\), got 1 target/);
    await expect(model.trainStep(input, [yb, { shape: [2], data: Float32Array.from([0, 3]) }])).rejects.toThrow(
      /output 'classes': class index 3 at row 1 is not an integer in \[0, 3\)/,
    );
    await expect(
      model.trainStep(input, [
        { shape: [2, 2], data: new Float32Array(4) },
        { shape: [2], data: new Float32Array(2) },
      ]),
    ).rejects.toThrow(/target for output 'binary' has shape \[2, 2\] but the output is \[2, 1\]/);
    model.dispose();
  });

  it('bad training configs are named, and leave nothing behind', async () => {
    const spec = twoHeads();
    await resolveBackend('tfjs-cpu');
    const before = tf.memory().numTensors;
    await expect(
      compile(spec, { backend: 'tfjs-cpu', training: { loss: 'binaryCrossentropy', lossWeights: [1], optimizer: { kind: 'adam' } } }),
    ).rejects.toThrow(/lossWeights has 1 entries but model 'two_heads' has 2 outputs/);
    await expect(compile(spec, { backend: 'tfjs-cpu', training: { loss: 'binaryCrossentropy', optimizer: { kind: 'sgd', momentum: 1.5 } } })).rejects.toThrow(
      /momentum 1.5/,
    );
    await expect(compile(spec, { backend: 'tfjs-cpu', training: { loss: 'mse' as never, optimizer: { kind: 'adam' } } })).rejects.toThrow(BackendError);
    const b = new SpecBuilder('frozen');
    const frozen = b.build(b.dense(b.flatten(b.input([1, 1, 2])), { units: 2, trainable: false }));
    await expect(compile(frozen, { backend: 'tfjs-cpu', training: { loss: 'binaryCrossentropy', optimizer: { kind: 'adam' } } })).rejects.toThrow(
      "model 'frozen' has no trainable parameters",
    );
    // Refused before any tensor exists.
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('BatchNorm and dropout while training', () => {
  it('moving statistics follow Keras: moving * momentum + batch * (1 - momentum), biased variance', async () => {
    const b = new SpecBuilder('bn');
    const h = b.batchNorm(b.input([2, 2, 3]), { momentum: 0.9 });
    const spec = b.build(b.dense(b.flatten(h), { units: 2, activation: 'softmax' }));
    const model = await trainable(spec, { backend: 'tfjs-cpu', training: { loss: 'categoricalCrossentropy', optimizer: { kind: 'sgd', learningRate: 0 } } });
    const input = randomTensor([2, 2, 2, 3], 4, 0, 2);
    await model.trainStep(input, oneHot([0, 1], 2));
    const w: WeightMap = await model.getWeights();
    for (let c = 0; c < 3; c++) {
      const vals = Array.from(input.data).filter((_, i) => i % 3 === c);
      const mean = vals.reduce((a, v) => a + v, 0) / vals.length;
      const variance = vals.reduce((a, v) => a + (v - mean) ** 2, 0) / vals.length;
      expect(w['batch_normalization/moving_mean']!.data[c]).toBeCloseTo(0.1 * mean, 5);
      expect(w['batch_normalization/moving_variance']!.data[c]).toBeCloseTo(0.9 + 0.1 * variance, 5);
    }
    model.dispose();
  });

  it('dropout is active only while training, and seeded', async () => {
    const b = new SpecBuilder('drop');
    const f = b.dropout(b.flatten(b.input([4, 4, 4])), { rate: 0.5 });
    const spec = b.build(b.dense(f, { units: 2, activation: 'softmax' }));
    const training = { loss: 'categoricalCrossentropy' as const, optimizer: { kind: 'sgd' as const, learningRate: 0 } };
    const input = randomTensor([2, 4, 4, 4], 9);
    const target = oneHot([0, 1], 2);
    const run = async () => {
      const m = await trainable(spec, { backend: 'tfjs-cpu', seed: 1, training });
      const losses = [];
      for (let i = 0; i < 3; i++) losses.push((await m.trainStep(input, target)).loss);
      const evaluated = (await m.evaluateStep(input, target)).loss;
      m.dispose();
      return { losses, evaluated };
    };
    const a = await run();
    const again = await run();
    expect(again.losses).toEqual(a.losses); // same seed, same masks
    expect(new Set(a.losses).size).toBe(3); // a new mask every step (learning rate 0: only the mask changes)
    expect(a.losses).not.toContain(a.evaluated); // inference uses no mask
  });
});
