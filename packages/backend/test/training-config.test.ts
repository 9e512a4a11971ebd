// The training configuration every trainer shares (training.ts): Keras' optimizer defaults, the refusals of nonsense
// (each naming the field and value), schedules, slots, per-output losses and target checks; and the sample pipeline's
// seeded shuffles, splits and gathers (samples.ts).
import { describe, expect, it } from 'vitest';
import { SpecBuilder } from '@convzoo/models';
import {
  BackendError,
  checkTargets,
  epochPermutation,
  gatherRows,
  learningRateAt,
  optimizerSlots,
  outputActivation,
  resolveLosses,
  resolveOptimizer,
  sampleCount,
  splitValidation,
} from '../src/index.js';

/** Two outputs: 'probs' (softmax over 3) and 'logit' (linear, 1), the second behind a dropout. */
function twoHeads() {
  const b = new SpecBuilder('two_heads');
  const f = b.flatten(b.input([2, 2, 1]));
  const probs = b.dense(f, { units: 3, activation: 'softmax', name: 'probs' });
  const logit = b.dropout(b.dense(f, { units: 1, name: 'logit_dense' }), { rate: 0.5, name: 'logit' });
  return b.build([probs, logit]);
}

const configError = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(BackendError);
    expect((e as BackendError).code).toBe('config');
    return (e as Error).message;
  }
  throw new Error('no error');
};

describe('resolveOptimizer', () => {
  it("fills Keras' defaults (Adam 1e-3, 0.9, 0.999, 1e-7; SGD 0.01, no momentum) and their slots", () => {
    const adam = resolveOptimizer({ kind: 'adam' });
    expect(adam).toEqual({ kind: 'adam', learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(optimizerSlots(adam)).toEqual(['m', 'v']);
    const sgd = resolveOptimizer({ kind: 'sgd' });
    expect(sgd).toEqual({ kind: 'sgd', learningRate: 0.01, momentum: 0, nesterov: false, decay: 0, weightDecay: 0 });
    expect(optimizerSlots(sgd)).toEqual([]);
    expect(optimizerSlots(resolveOptimizer({ kind: 'sgd', momentum: 0.9 }))).toEqual(['momentum']);
  });

  it.each<[string, Parameters<typeof resolveOptimizer>[0], RegExp]>([
    ['beta1 = 1', { kind: 'adam', beta1: 1 }, /optimizer adam: beta1 1 is out of range/],
    ['a negative learning rate', { kind: 'adam', learningRate: -1e-3 }, /optimizer adam: learningRate -0.001 is out of range/],
    ['epsilon 0', { kind: 'adam', epsilon: 0 }, /optimizer adam: epsilon 0 is out of range/],
    ['a NaN learning rate', { kind: 'sgd', learningRate: Number.NaN }, /optimizer sgd: learningRate NaN is out of range/],
    ['momentum 1', { kind: 'sgd', momentum: 1 }, /optimizer sgd: momentum 1 is out of range/],
    ['a negative decay', { kind: 'sgd', decay: -0.1 }, /optimizer sgd: decay -0.1 is out of range/],
    ['an unknown kind', { kind: 'rmsprop' } as unknown as Parameters<typeof resolveOptimizer>[0], /unknown optimizer kind 'rmsprop': use 'adam' or 'sgd'/],
    [
      'a schedule with one value too few',
      { kind: 'sgd', learningRateSchedule: { boundaries: [10, 20], values: [0.1, 0.01] } },
      /learningRateSchedule has 2 values for 2 boundaries/,
    ],
    [
      'unordered boundaries',
      { kind: 'sgd', learningRateSchedule: { boundaries: [20, 10], values: [0.1, 0.01, 0.001] } },
      /boundaries must be increasing whole update counts >= 1, got \[20,10\]/,
    ],
    ['a boundary at 0', { kind: 'adam', learningRateSchedule: { boundaries: [0], values: [1, 2] } }, /boundaries must be increasing whole update counts >= 1/],
    [
      'a negative rate in a schedule',
      { kind: 'adam', learningRateSchedule: { boundaries: [5], values: [1, -2] } },
      /values must be finite and >= 0, got \[1,-2\]/,
    ],
  ])('refuses %s', (_what, config, want) => {
    expect(configError(() => resolveOptimizer(config))).toMatch(want);
  });

  it('a schedule switches at its boundaries: the rate of the update that follows `step` updates (Keras PiecewiseConstantDecay)', () => {
    const s = { boundaries: [2, 5], values: [0.1, 0.01, 0.001] };
    const opt = resolveOptimizer({ kind: 'sgd', learningRate: 7, learningRateSchedule: s });
    expect([0, 1, 2, 4, 5, 100].map((step) => learningRateAt(opt, step))).toEqual([0.1, 0.1, 0.01, 0.01, 0.001, 0.001]);
    expect(learningRateAt(resolveOptimizer({ kind: 'sgd', learningRate: 7 }), 1000)).toBe(7);
    // The config is copied: changing the caller's arrays later changes nothing.
    s.values[0] = 99;
    expect(learningRateAt(opt, 0)).toBe(0.1);
  });
});

describe('resolveLosses and targets', () => {
  it('one loss for every output, or one per output; weights default to 1; each refusal names the output', () => {
    const spec = twoHeads();
    expect(resolveLosses(spec, { loss: 'categoricalCrossentropy', optimizer: { kind: 'adam' } })).toEqual({
      losses: ['categoricalCrossentropy', 'categoricalCrossentropy'],
      weights: [1, 1],
    });
    const opt = { optimizer: { kind: 'adam' as const } };
    expect(configError(() => resolveLosses(spec, { ...opt, loss: ['categoricalCrossentropy'] }))).toBe(
      "training.loss lists 1 losses but model 'two_heads' has 2 outputs (probs, logit)",
    );
    expect(configError(() => resolveLosses(spec, { ...opt, loss: ['categoricalCrossentropy', 'mse' as 'binaryCrossentropy'] }))).toMatch(
      /^training.loss 'mse' for output 'logit' is not one of categoricalCrossentropy, sparseCategoricalCrossentropy, binaryCrossentropy$/,
    );
    expect(configError(() => resolveLosses(spec, { ...opt, loss: 'binaryCrossentropy', lossWeights: [1, -1] }))).toBe(
      "training.lossWeights[1] (output 'logit') must be a finite number >= 0, got -1",
    );
    expect(configError(() => resolveLosses(spec, { ...opt, loss: 'binaryCrossentropy', lossWeights: [1] }))).toMatch(/lossWeights has 1 entries/);
  });

  it("an output's activation is found through a dropout (it decides probabilities vs logits)", () => {
    const spec = twoHeads();
    expect(outputActivation(spec, 'probs')).toBe('softmax');
    expect(outputActivation(spec, 'logit')).toBe('linear');
  });

  it('checks targets per output: count, shape, finite values, sparse class indices', () => {
    const spec = twoHeads();
    const losses = ['sparseCategoricalCrossentropy', 'binaryCrossentropy'] as const;
    const ok = [
      { shape: [2], data: Float32Array.of(0, 2) },
      { shape: [2, 1], data: Float32Array.of(1, 0) },
    ];
    expect(checkTargets(spec, ok, 2, [...losses])).toEqual(ok);
    const targetError = (y: Parameters<typeof checkTargets>[1]) => {
      try {
        checkTargets(spec, y, 2, [...losses]);
      } catch (e) {
        expect((e as BackendError).code).toBe('target');
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(targetError([ok[0]!])).toBe("model 'two_heads' has 2 outputs (probs, logit), got 1 target(s)");
    expect(targetError([{ shape: [2], data: Float32Array.of(0, 3) }, ok[1]!])).toBe(
      "target for output 'probs': class index 3 at row 1 is not an integer in [0, 3)",
    );
    expect(targetError([{ shape: [2], data: Float32Array.of(0.5, 1) }, ok[1]!])).toMatch(/class index 0.5 at row 0/);
    expect(targetError([ok[0]!, { shape: [2, 2], data: new Float32Array(4) }])).toBe("target for output 'logit' has shape [2, 2] but the output is [2, 1]");
    expect(targetError([ok[0]!, { shape: [2, 1], data: Float32Array.of(Number.NaN, 0) }])).toMatch(/^target for output 'logit' contains NaN at flat index 0/);
  });
});

describe('samples: seeded shuffles, the validation split, gathers', () => {
  it('epochPermutation is a permutation, the same for the same (seed, epoch), different across epochs and seeds', () => {
    const p = epochPermutation(50, 3, 0);
    expect([...p].sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
    expect([...epochPermutation(50, 3, 0)]).toEqual([...p]);
    expect([...epochPermutation(50, 3, 1)]).not.toEqual([...p]);
    expect([...epochPermutation(50, 4, 0)]).not.toEqual([...p]);
  });

  it('splitValidation takes the LAST fraction before any shuffle (Keras), every tensor alike; mismatched counts are named', () => {
    const x = { shape: [5, 2], data: Float32Array.from({ length: 10 }, (_, i) => i) };
    const y = { shape: [5], data: Float32Array.of(0, 1, 2, 3, 4) };
    const { train, validation } = splitValidation({ x, y }, 0.4);
    expect([...(train.y as typeof y).data]).toEqual([0, 1, 2]);
    expect([...(validation.y as typeof y).data]).toEqual([3, 4]);
    expect([...(validation.x as typeof x).data]).toEqual([6, 7, 8, 9]);
    expect(() => sampleCount({ x, y: { shape: [4], data: new Float32Array(4) } })).toThrow('training data y[0] has 4 samples but x[0] has 5');
    expect(() => sampleCount({ x: { shape: [5, 2], data: new Float32Array(9) }, y })).toThrow('training data x[0]: shape [5, 2] needs 10 values, found 9');
  });

  it('gatherRows copies rows in the order given, repeats included', () => {
    const t = { shape: [3, 2], data: Float32Array.of(0, 1, 10, 11, 20, 21) };
    const g = gatherRows(t, [2, 0, 2]);
    expect(g.shape).toEqual([3, 2]);
    expect([...g.data]).toEqual([20, 21, 0, 1, 20, 21]);
    g.data[0] = -1;
    expect(t.data[4]).toBe(20);
  });
});
