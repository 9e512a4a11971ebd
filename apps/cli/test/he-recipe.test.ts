// The degradation experiment's recipe: He et al.'s schedule with the 56-layer nets' warm-up, as the backends apply
// it (learningRateAt: the rate of the update that follows `step` updates), the normalisation and the final error.
import { learningRateAt, resolveOptimizer } from '@convzoo/backend';
import { describe, expect, it } from 'vitest';
import { channelStats, normalizeChannels } from '../src/experiment/channel-normalization.js';
import { finalTrainError } from '../src/experiment/degradation.js';
import { HE_RECIPE, heRecipe, heSchedule, warmupIterations } from '../src/experiment/he-recipe.js';
import type { LoadedData } from '../src/train-data.js';

const ratesAt = (total: number, depth: number, steps: number[]) => {
  const optimizer = resolveOptimizer(heRecipe(total, depth).optimizer!);
  return steps.map((s) => learningRateAt(optimizer, s));
};

describe("He et al.'s schedule", () => {
  it('full Fashion-MNIST, 10 epochs of batch 128 (4,690 updates): 56 layers warm up 400 updates at 0.01, then 0.1, /10 at 50% and 75%', () => {
    expect(heSchedule(4690, 56)).toEqual({ boundaries: [400, 2345, 3518], values: [0.01, 0.1, 0.01, 0.001] });
    expect(ratesAt(4690, 56, [0, 399, 400, 2344, 2345, 3517, 3518, 4689])).toEqual([0.01, 0.01, 0.1, 0.1, 0.01, 0.01, 0.001, 0.001]);
  });

  it('the 20-layer nets start at 0.1 at once', () => {
    expect(heSchedule(4690, 20)).toEqual({ boundaries: [2345, 3518], values: [0.1, 0.01, 0.001] });
    expect(ratesAt(4690, 20, [0, 2344, 2345, 3518])).toEqual([0.1, 0.1, 0.01, 0.001]);
  });

  it('a short run warms up for 10% of its updates at most; the quick CI variant (4 updates) has no warm-up', () => {
    expect(warmupIterations(1000, 56)).toBe(100);
    expect(warmupIterations(64_000, 110)).toBe(HE_RECIPE.warmupIterations);
    expect(warmupIterations(64_000, 20)).toBe(0);
    expect(heSchedule(1000, 56)).toEqual({ boundaries: [100, 500, 750], values: [0.01, 0.1, 0.01, 0.001] });
    expect(heSchedule(4, 56)).toEqual({ boundaries: [2, 3], values: [0.1, 0.01, 0.001] });
    expect(heSchedule(1, 56)).toEqual({ boundaries: [1], values: [0.1, 0.001] });
  });

  it('SGD with momentum 0.9 and weight decay 1e-4, cross-entropy', () => {
    const r = heRecipe(4690, 56);
    expect(r.loss).toBe('categoricalCrossentropy');
    expect(r.optimizer).toMatchObject({ kind: 'sgd', momentum: 0.9, weightDecay: 1e-4, learningRate: 0.01 });
  });
});

describe('per-channel normalisation', () => {
  const tensor = (data: number[], c: number) => ({ shape: [data.length / c / 2, 1, 2, c], data: Float32Array.from(data) });

  it("uses the training images' statistics for both halves; a constant channel is only centred", () => {
    const train = tensor([0, 5, 2, 5, 4, 5, 6, 5], 2); // channel 0: 0,2,4,6 (mean 3, std sqrt 5); channel 1: constant 5
    const stats = channelStats(train);
    expect(stats.mean).toEqual([3, 5]);
    expect(stats.std[0]).toBeCloseTo(Math.sqrt(5), 6);
    expect(stats.std[1]).toBe(1);
    const y = { shape: [2, 2], data: new Float32Array(4) };
    const data: LoadedData = {
      train: { x: train, y },
      test: { x: tensor([3, 7, 3, 7], 2), y },
      classNames: ['a', 'b'],
      imageShape: [1, 2, 2],
    };
    const { data: out } = normalizeChannels(data);
    expect(Array.from((out.test.x as { data: Float32Array }).data)).toEqual([0, 2, 0, 2]);
    expect(Array.from((out.train.x as { data: Float32Array }).data)[0]).toBeCloseTo(-3 / Math.sqrt(5), 6);
  });
});

it('the final training error is the mean of the last 5% of the iterations', () => {
  const rows = Array.from({ length: 100 }, (_, i) => ({ epoch: 0, iteration: i + 1, trainError: i < 95 ? 0.9 : 0.1 + (i - 95) * 0.01, loss: 1 }));
  expect(finalTrainError(rows)).toBeCloseTo(0.12, 10);
  expect(finalTrainError(rows.slice(0, 3))).toBe(0.9);
});
