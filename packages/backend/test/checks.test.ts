// Tensors, seeded Keras initialisers and the shared input/weight checks every adapter relies on.
import { describe, expect, it } from 'vitest';
import { paramInfos, SpecBuilder } from '@convzoo/models';
import { BackendError, checkInputs, checkWeights, fans, initialWeights, initWeights, tensor, type Tensor } from '../src/index.js';

function net() {
  const b = new SpecBuilder('net');
  let x = b.input([8, 8, 4]);
  x = b.conv2d(x, { filters: 6, kernelSize: 3, groups: 2 });
  x = b.batchNorm(x);
  x = b.flatten(x);
  return b.build(b.dense(x, { units: 5 }));
}

describe('tensor', () => {
  it('copies data and checks its length against the shape', () => {
    const src = [1, 2, 3, 4, 5, 6];
    const t = tensor([2, 3], src);
    src[0] = 9;
    expect(t).toEqual({ shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) });
    expect(tensor([2, 2]).data).toEqual(new Float32Array(4));
    expect(() => tensor([2, 3], [1, 2])).toThrow('tensor of shape [2, 3] needs 6 values, got 2');
    expect(() => tensor([2, -1])).toThrow('must hold non-negative integers');
  });
});

describe('initWeights (Keras defaults, seeded)', () => {
  it('glorot-uniform kernels with Keras fans, zero biases, BN gamma 1 / beta 0 / mean 0 / variance 1', () => {
    const spec = net();
    const w = initWeights(spec, 7);
    expect(Object.keys(w)).toEqual(paramInfos(spec).map((p) => p.name));
    // conv kernel [3, 3, 2, 6] (groups 2): fan_in = 3*3*2, fan_out = 3*3*6, as keras.initializers.GlorotUniform.
    expect(fans([3, 3, 2, 6])).toEqual({ fanIn: 18, fanOut: 54 });
    const limit = Math.sqrt(6 / (18 + 54));
    const k = w['conv2d/kernel']!;
    expect(k.shape).toEqual([3, 3, 2, 6]);
    expect(Math.max(...k.data.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...k.data.map(Math.abs))).toBeGreaterThan(0.9 * limit);
    const mean = k.data.reduce((a, v) => a + v, 0) / k.data.length;
    expect(Math.abs(mean)).toBeLessThan(0.1 * limit);
    expect(fans([6 * 6 * 6, 5])).toEqual({ fanIn: 216, fanOut: 5 });
    expect(w['conv2d/bias']!.data.every((v) => v === 0)).toBe(true);
    expect(w['batch_normalization/gamma']!.data.every((v) => v === 1)).toBe(true);
    expect(w['batch_normalization/beta']!.data.every((v) => v === 0)).toBe(true);
    expect(w['batch_normalization/moving_mean']!.data.every((v) => v === 0)).toBe(true);
    expect(w['batch_normalization/moving_variance']!.data.every((v) => v === 1)).toBe(true);
  });

  it('is reproducible per seed, differs across seeds, and per parameter independent of the other layers', () => {
    const spec = net();
    expect(initWeights(spec, 1)).toEqual(initWeights(spec, 1));
    expect(initWeights(spec, 1)['dense/kernel']).not.toEqual(initWeights(spec, 2)['dense/kernel']);
    const b = new SpecBuilder('net');
    const x = b.flatten(b.batchNorm(b.conv2d(b.input([8, 8, 4]), { filters: 6, kernelSize: 3, groups: 2 })));
    const longer = b.build(b.dense(b.dense(x, { units: 5 }), { units: 2 }));
    expect(initWeights(longer, 1)['dense/kernel']).toEqual(initWeights(spec, 1)['dense/kernel']);
  });
});

describe('checkInputs', () => {
  const spec = net();
  const good = (): Tensor => tensor([2, 8, 8, 4]);
  const error = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(BackendError);
      return (e as BackendError).message;
    }
    throw new Error('expected an error');
  };
  it('accepts one tensor, an array or a map by name', () => {
    expect(checkInputs(spec, good()).batch).toBe(2);
    expect(checkInputs(spec, [good()]).tensors).toHaveLength(1);
    expect(checkInputs(spec, { input_layer: good() }).tensors).toHaveLength(1);
  });
  it('names the input and the expected shape, NaN positions, counts and unknown names', () => {
    expect(error(() => checkInputs(spec, tensor([2, 8, 4, 8])))).toBe(
      "input 'input_layer' has shape [2, 8, 4, 8] but model 'net' expects [batch, 8, 8, 4] (NHWC)",
    );
    expect(error(() => checkInputs(spec, tensor([8, 8, 4])))).toContain('expects [batch, 8, 8, 4]');
    const nan = good();
    nan.data[300] = NaN;
    expect(error(() => checkInputs(spec, nan))).toBe("input 'input_layer' contains NaN at flat index 300 (shape [2, 8, 8, 4]); inputs must be finite");
    const inf = good();
    inf.data[1] = -Infinity;
    expect(error(() => checkInputs(spec, inf))).toContain('-Infinity at flat index 1');
    expect(error(() => checkInputs(spec, [good(), good()]))).toBe("model 'net' takes 1 input(s) ('input_layer'), got 2");
    expect(error(() => checkInputs(spec, { image: good() }))).toBe("model 'net' has no input 'image'; its inputs are 'input_layer'");
    expect(error(() => checkInputs(spec, { shape: [2, 8, 8, 4], data: [1, 2] } as unknown as Tensor))).toContain(
      'must be a tensor { shape: number[], data: Float32Array }',
    );
  });
  it('requires one batch size across inputs', () => {
    const b = new SpecBuilder('two');
    const a = b.input([2, 2, 1], { name: 'a' });
    const c = b.input([2, 2, 1], { name: 'c' });
    const two = b.build(b.add([a, c]));
    expect(() => checkInputs(two, [tensor([2, 2, 2, 1]), tensor([3, 2, 2, 1])])).toThrow("input 'c' has batch size 3 but input 'a' has 2");
    expect(() => checkInputs(two, tensor([2, 2, 2, 1]))).toThrow("model 'two' has 2 inputs ('a', 'c'): pass an array in that order or a map by name");
  });
});

describe('checkWeights and initialWeights', () => {
  const spec = net();
  it('names the first unknown weight with the closest known name', () => {
    expect(() => checkWeights(spec, { 'dense/kernal': tensor([216, 5]) })).toThrow(
      /unknown weight 'dense\/kernal' for model 'net': did you mean 'dense\/kernel'\?/,
    );
  });
  it('names the parameter and both shapes', () => {
    expect(() => checkWeights(spec, { 'dense/kernel': tensor([5, 216]) })).toThrow("weight 'dense/kernel' has shape [5, 216] but model 'net' expects [216, 5]");
  });
  it('names the first missing weight when complete weights are required', () => {
    const w = initWeights(spec);
    delete w['batch_normalization/beta'];
    expect(() => initialWeights(spec, { weights: w, strictWeights: true })).toThrow(
      "weight 'batch_normalization/beta' of model 'net' is missing and strictWeights is set",
    );
  });
  it('fills missing weights from the seeded initialiser and copies the given ones', () => {
    const given = tensor([5], [1, 2, 3, 4, 5]);
    const w = initialWeights(spec, { weights: { 'dense/bias': given }, seed: 3 });
    expect(w['dense/bias']).toEqual(given);
    expect(w['dense/bias']!.data).not.toBe(given.data);
    expect(w['dense/kernel']).toEqual(initWeights(spec, 3)['dense/kernel']);
  });
  it('rejects NaN in weights, naming the parameter', () => {
    const bad = tensor([5], [0, 0, NaN, 0, 0]);
    expect(() => checkWeights(spec, { 'dense/bias': bad })).toThrow("weight 'dense/bias' contains NaN at flat index 2");
  });
});
