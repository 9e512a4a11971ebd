import { describe, expect, it } from 'vitest';
import { lossSum, resolveMetrics, targetKind, splitValidation, epochPermutation, type Samples } from '../src/index.js';

const t = (shape: number[], values: number[]) => ({ shape, data: Float32Array.from(values) });

describe('metrics', () => {
  const pred = t([3, 3], [0.7, 0.2, 0.1, 0.1, 0.3, 0.6, 0.4, 0.5, 0.1]);
  const oneHot = t([3, 3], [1, 0, 0, 0, 1, 0, 0, 1, 0]);
  const labels = t([3], [0, 1, 1]);

  it("picks 'accuracy' from the shapes as Keras does", () => {
    expect(targetKind(oneHot, pred)).toBe('categorical');
    expect(targetKind(labels, pred)).toBe('sparse');
    expect(targetKind(t([3, 1], [0, 1, 1]), pred)).toBe('sparse');
    expect(targetKind(t([2, 1], [0, 1]), t([2, 1], [0.2, 0.9]))).toBe('binary');
  });

  it('counts argmax matches (categorical and sparse), thresholds binary at 0.5', () => {
    expect(resolveMetrics(['accuracy'], 'categorical')[0]!.sum(oneHot, pred)).toBe(2);
    expect(resolveMetrics(['accuracy'], 'sparse')[0]!.sum(labels, pred)).toBe(2);
    expect(resolveMetrics(['accuracy'], 'binary')[0]!.sum(t([3, 1], [1, 0, 1]), t([3, 1], [0.6, 0.4, 0.5]))).toBe(2);
  });

  it('top-k counts a hit when fewer than k classes score higher', () => {
    const [top2] = resolveMetrics([{ topK: 2 }], 'categorical');
    expect(top2!.name).toBe('top_2_categorical_accuracy');
    expect(top2!.sum(t([3, 3], [0, 0, 1, 0, 0, 1, 1, 0, 0]), pred)).toBe(2);
    expect(resolveMetrics([{ topK: 5 }], 'sparse')[0]!.name).toBe('sparse_top_k_categorical_accuracy');
    expect(() => resolveMetrics(['auc' as never], 'categorical')).toThrow(/unknown metric "auc"/);
  });

  it('computes cross-entropies with Keras clipping', () => {
    const expected = -(Math.log(0.7) + Math.log(0.3) + Math.log(0.5));
    expect(lossSum('categoricalCrossentropy', oneHot, pred)).toBeCloseTo(expected, 5);
    expect(lossSum('sparseCategoricalCrossentropy', labels, pred)).toBeCloseTo(expected, 5);
    expect(lossSum('binaryCrossentropy', t([1, 1], [1]), t([1, 1], [0]))).toBeCloseTo(-Math.log(1e-7), 3);
  });
});

describe('samples', () => {
  it("takes Keras' validation split: int(n * (1 - split)) training samples, the rest for validation", () => {
    const data: Samples = {
      x: { shape: [60000, 1], data: new Float32Array(60000).map((_, i) => i) },
      y: { shape: [60000, 1], data: new Float32Array(60000) },
    };
    const { train, validation } = splitValidation(data, 0.95);
    expect((train.x as { shape: number[] }).shape[0]).toBe(3000);
    expect((validation.x as { data: Float32Array }).data[0]).toBe(3000);
    expect(() => splitValidation({ x: t([3, 1], [1, 2, 3]), y: t([3, 1], [1, 2, 3]) }, 0.9)).toThrow(/leaves no training samples/);
  });

  it('permutes every index once, deterministically per (seed, epoch)', () => {
    const p = epochPermutation(1000, 3, 0);
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(epochPermutation(1000, 3, 0)).toEqual(p);
    expect(epochPermutation(1000, 3, 1)).not.toEqual(p);
  });
});
