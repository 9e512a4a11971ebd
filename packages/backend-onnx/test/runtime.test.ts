// The onnx-cpu backend's model behaviour: queueing, weights, dispose, options, training refusal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpecBuilder } from '@convzoo/models';
import { BackendRegistry, isTrainable, type Model, type Tensor } from '@convzoo/backend';
import { registerOnnxBackends } from '../src/index.js';
import { lenet, seededWeights } from './helpers.js';

const registry = new BackendRegistry();
registerOnnxBackends(registry);

const image = (n: number, seed = 3) => ({ shape: [n, 28, 28, 1], data: Float32Array.from({ length: n * 784 }, (_, i) => Math.sin(i * 0.37 + seed)) });
const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe('onnx-cpu model', () => {
  const spec = lenet();
  const weights = seededWeights(spec);
  let model: Model;
  beforeAll(async () => {
    model = await registry.compile(spec, { backend: 'onnx-cpu', weights, engine: { intraOpNumThreads: 1 } });
  });
  afterAll(() => model.dispose());

  it('compiled without training: not trainable; returns one NHWC-API tensor per output', async () => {
    expect(model.backend).toBe('onnx-cpu');
    expect(isTrainable(model)).toBe(false);
    const [y] = await model.predict(image(2));
    expect(y!.shape).toEqual([2, 10]);
    expect(y!.data[0]! + y!.data[1]! + y!.data.slice(2, 10).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('queues concurrent predict calls: each gets its own answer', async () => {
    const xs = [1, 2, 3, 4, 5, 6].map((s) => image(1 + (s % 3), s));
    const sequential: Tensor[] = [];
    for (const x of xs) sequential.push((await model.predict(x))[0]!);
    const concurrent = await Promise.all(xs.map((x) => model.predict(x)));
    concurrent.forEach(([y], i) => {
      expect(y!.shape).toEqual(sequential[i]!.shape);
      expect(maxDiff(y!.data, sequential[i]!.data)).toBe(0);
    });
  });

  it('getWeights returns the canonical map; setWeights rebuilds the session', async () => {
    const got = await model.getWeights();
    expect(Object.keys(got).sort()).toEqual(Object.keys(weights).sort());
    expect(got['conv2d/kernel']!.shape).toEqual([5, 5, 1, 20]);
    expect(maxDiff(got['conv2d/kernel']!.data, weights['conv2d/kernel']!.data)).toBe(0);
    const x = image(1);
    const before = (await model.predict(x))[0]!;
    const pending = model.predict(x); // queued before setWeights: runs on the old weights
    await model.setWeights({ 'dense_1/bias': { shape: [10], data: Float32Array.from({ length: 10 }, (_, i) => (i === 7 ? 1e4 : 0)) } });
    expect(maxDiff((await pending)[0]!.data, before.data)).toBe(0);
    const after = (await model.predict(x))[0]!;
    expect(after.data[7]).toBeGreaterThan(0.99);
    expect((await model.getWeights())['dense_1/bias']!.data[7]).toBe(1e4);
    await model.setWeights({ 'dense_1/bias': weights['dense_1/bias']! });
    expect(maxDiff((await model.predict(x))[0]!.data, before.data)).toBe(0);
  });

  it('rejects bad inputs and weights naming what is wrong', async () => {
    await expect(model.predict({ shape: [1, 28, 28, 3], data: new Float32Array(2352) })).rejects.toThrow(/input 'input_layer' has shape \[1, 28, 28, 3\]/);
    await expect(model.setWeights({ 'dense/kernal': { shape: [1], data: new Float32Array(1) } })).rejects.toThrow(
      /unknown weight 'dense\/kernal'.*did you mean 'dense\/kernel'/,
    );
  });

  it('compiled with training: a TrainableModel (training graphs, see training-*.test.ts)', async () => {
    const trainable = await registry.compile(spec, {
      backend: 'onnx-cpu',
      weights,
      training: { loss: 'categoricalCrossentropy', optimizer: { kind: 'adam' } },
    });
    expect(isTrainable(trainable)).toBe(true);
    trainable.dispose();
  });

  it('checks engine options by name', async () => {
    await expect(registry.compile(spec, { backend: 'onnx-cpu', engine: { intraOpThreads: 2 } })).rejects.toThrow(/unknown engine option 'intraOpThreads'/);
    await expect(registry.compile(spec, { backend: 'onnx-cpu', engine: { graphOptimizationLevel: 'max' } })).rejects.toThrow(
      /'graphOptimizationLevel' must be disabled \| basic \| extended \| all/,
    );
    await expect(registry.compile(spec, { backend: 'onnx-cpu', engine: { allowSpinning: 'yes' } })).rejects.toThrow(
      /onnx-cpu: engine option 'allowSpinning' must be true or false, got "yes"/,
    );
    await expect(registry.compile(spec, { backend: 'onnx-cpu', engine: { blockedConv: 1 } })).rejects.toThrow(
      /onnx-cpu: engine option 'blockedConv' must be true or false, got 1/,
    );
  });

  it('honours graph optimisation level and opset without changing results', async () => {
    const plain = await registry.compile(spec, { backend: 'onnx-cpu', weights, engine: { graphOptimizationLevel: 'disabled', opset: 17 } });
    const x = image(2);
    expect(maxDiff((await plain.predict(x))[0]!.data, (await model.predict(x))[0]!.data)).toBeLessThan(1e-6);
    plain.dispose();
    await expect(plain.predict(x)).rejects.toThrow(/after dispose/);
  });
});

describe('registration', () => {
  it('registers every ONNX backend as able to train, best first', () => {
    const onnx = registry.list().filter((b) => b.name.startsWith('onnx-'));
    expect(onnx.map((b) => b.name)).toEqual(['onnx-cuda', 'onnx-cpu', 'onnx-webgpu', 'onnx-web-webgpu', 'onnx-wasm']);
    expect(onnx.every((b) => b.canTrain)).toBe(true);
    registerOnnxBackends(registry); // twice is harmless
  });

  it('onnx-web-webgpu says why it cannot start in Node', async () => {
    const probe = await registry.probe('onnx-web-webgpu');
    expect(probe.available).toBe(false);
    expect(probe.reason).toMatch(/navigator\.gpu is absent.*use onnx-webgpu/);
  });
});

describe('dispose', () => {
  it('lets predict calls accepted before it finish, then rejects everything', async () => {
    const spec = lenet();
    const m = await registry.compile(spec, { backend: 'onnx-cpu', weights: seededWeights(spec) });
    const accepted = [m.predict(image(1)), m.predict(image(2))];
    const swap = m.setWeights({ 'dense_1/bias': { shape: [10], data: new Float32Array(10) } });
    m.dispose();
    const done = await Promise.all(accepted);
    expect(done.map(([y]) => y!.shape[0])).toEqual([1, 2]);
    await expect(swap).rejects.toThrow(/disposed/);
    await expect(m.predict(image(1))).rejects.toThrow(/after dispose/);
    await expect(m.getWeights()).rejects.toThrow(/after dispose/);
  });
});

describe('multi-output, multi-input graphs', () => {
  it('returns outputs in spec order with NHWC image outputs', async () => {
    const b = new SpecBuilder('two');
    const a = b.input([4, 4, 2], { name: 'a' });
    const c = b.input([4, 4, 2], { name: 'c' });
    const s = b.add([a, c], { name: 'sum' });
    const img = b.conv2d(s, { filters: 3, kernelSize: 1, useBias: false, name: 'img' });
    const vec = b.dense(b.flatten(img), { units: 2, name: 'vec' });
    const spec = b.build([vec, img]);
    const w = seededWeights(spec);
    const m = await registry.compile(spec, { backend: 'onnx-cpu', weights: w });
    const xa = { shape: [1, 4, 4, 2], data: Float32Array.from({ length: 32 }, (_, i) => i / 32) };
    const xc = { shape: [1, 4, 4, 2], data: new Float32Array(32).fill(0.5) };
    const [v, y] = await m.predict({ c: xc, a: xa });
    expect(v!.shape).toEqual([1, 2]);
    expect(y!.shape).toEqual([1, 4, 4, 3]);
    // pixel (1, 2), channel 2 = sum_i (xa + xc)[1, 2, i] * kernel[0, 0, i, 2]
    const k = w['img/kernel']!.data;
    const px = (1 * 4 + 2) * 2;
    const want = (xa.data[px]! + 0.5) * k[2]! + (xa.data[px + 1]! + 0.5) * k[5]!;
    expect(y!.data[(1 * 4 + 2) * 3 + 2]).toBeCloseTo(want, 5);
    m.dispose();
  });
});
