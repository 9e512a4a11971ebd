import { describe, expect, it } from 'vitest';
import {
  type Features,
  type ImageSet,
  batchCount,
  batches,
  imageSetBatches,
  mulberry32,
  oneHot,
  permutation,
  splitArrays,
  toTensor,
  trainValidationSplit,
  validationSplitIndex,
} from '../src/index.js';

/** n samples of shape [2, 1, 1], bytes 2i and 2i+1; labels i % k. */
function tinySet(n: number, k = 3): ImageSet {
  return {
    x: { shape: [n, 2, 1, 1], data: Uint8Array.from({ length: 2 * n }, (_, i) => i), divisor: 255 },
    y: Uint8Array.from({ length: n }, (_, i) => i % k),
    classNames: Array.from({ length: k }, (_, i) => `c${i}`),
  };
}

describe('seeded randomness', () => {
  it('mulberry32 gives the reference sequence (cross-checked with an independent Python port)', () => {
    const rng = mulberry32(42);
    expect([rng(), rng(), rng()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
  });

  it('permutation is a deterministic permutation of 0..n-1', () => {
    const a = permutation(1000, mulberry32(7));
    expect([...a]).toEqual([...permutation(1000, mulberry32(7))]);
    expect([...a]).not.toEqual([...permutation(1000, mulberry32(8))]);
    expect([...a].sort((p, q) => p - q)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect([...permutation(10, mulberry32(1))]).not.toEqual(Array.from({ length: 10 }, (_, i) => i));
  });
});

describe('validation split (Keras semantics)', () => {
  it('splits at floor(n * (1 - split)) in float64, as keras train_validation_split does', () => {
    expect(validationSplitIndex(60000, 0.95)).toBe(3000); // 60000 * 0.05000000000000004 = 3000.0000000000027
    expect(validationSplitIndex(60000, 0.1)).toBe(54000);
    expect(validationSplitIndex(3, 0.5)).toBe(1); // floor, not round
    expect(validationSplitIndex(10, 0.8)).toBe(1); // 10 * (1 - 0.8) = 1.9999999999999996
    expect(() => validationSplitIndex(10, 0.9)).toThrow(/10 samples are not enough .* validationSplit=0.9/);
    expect(() => validationSplitIndex(10, 1)).toThrow(/must be in \(0, 1\), got 1/);
    expect(() => validationSplitIndex(10, 0)).toThrow(/must be in \(0, 1\)/);
  });

  it('takes the LAST fraction as validation, as views, before any shuffle', () => {
    const set = tinySet(10);
    const { train, validation } = trainValidationSplit(set, 0.3);
    expect(train.x.shape).toEqual([7, 2, 1, 1]);
    expect(validation.x.shape).toEqual([3, 2, 1, 1]);
    expect([...validation.x.data]).toEqual([14, 15, 16, 17, 18, 19]);
    expect([...validation.y]).toEqual([1, 2, 0]);
    expect(validation.x.data.buffer).toBe(set.x.data.buffer);
    expect(validation.classNames).toBe(set.classNames);
    // Shuffling the training part never moves a validation sample into it.
    const seen = new Set<number>();
    for (const b of imageSetBatches(train, { batchSize: 4, shuffle: true, seed: 3 })) {
      for (let i = 0; i < b.x.data.length; i += 2) seen.add(Math.round((b.x.data[i] as number) * 255) / 2);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);

    const pair = splitArrays(toTensor(set.x), oneHot(set.y, 3), 0.3);
    expect(pair.validation.y.shape).toEqual([3, 3]);
    expect([...pair.validation.y.data]).toEqual([0, 1, 0, 0, 0, 1, 1, 0, 0]);
  });
});

describe('batches', () => {
  it('covers every sample in order, the last batch partial, float32 rows as views', () => {
    const x: Features = { shape: [5, 2], data: Float32Array.from({ length: 10 }, (_, i) => i) };
    const y = Uint8Array.of(0, 1, 2, 1, 0);
    const got = [];
    for (const b of batches(x, y, { batchSize: 2, numClasses: 3 })) {
      got.push({ x: [...b.x.data], xs: b.x.shape, y: [...b.y.data], ys: b.y.shape, view: b.x.data.buffer === x.data.buffer, start: b.start });
    }
    expect(batchCount(5, 2)).toBe(3);
    expect(got).toEqual([
      { x: [0, 1, 2, 3], xs: [2, 2], y: [1, 0, 0, 0, 1, 0], ys: [2, 3], view: true, start: 0 },
      { x: [4, 5, 6, 7], xs: [2, 2], y: [0, 0, 1, 0, 1, 0], ys: [2, 3], view: true, start: 2 },
      { x: [8, 9], xs: [1, 2], y: [1, 0, 0], ys: [1, 3], view: true, start: 4 },
    ]);
  });

  it('scales bytes to float32 exactly as x.astype(float32) / 255', () => {
    const set = tinySet(3);
    const [b] = [...imageSetBatches(set, { batchSize: 8, labels: 'sparse' })];
    expect(b?.x.shape).toEqual([3, 2, 1, 1]);
    expect([...(b?.x.data ?? [])]).toEqual([0, 1, 2, 3, 4, 5].map((v) => Math.fround(v / 255)));
    expect(b?.y.shape).toEqual([3]);
    expect([...(b?.y.data ?? [])]).toEqual([0, 1, 2]);
  });

  it('shuffles reproducibly by seed, each sample once per pass, x and y kept together', () => {
    const set = tinySet(11, 11);
    // Read each batch before the next: shuffled batches share one buffer.
    const pass = (seed: number): number[][] => {
      const out: number[][] = [];
      for (const b of imageSetBatches(set, { batchSize: 4, shuffle: true, seed, labels: 'sparse' })) {
        const xs = Array.from({ length: b.y.data.length }, (_, i) => Math.round((b.x.data[2 * i] as number) * 255) / 2);
        expect(xs).toEqual([...b.y.data]); // sample i has label i here
        out.push(xs);
      }
      return out;
    };
    const a = pass(5);
    expect(a.map((b) => b.length)).toEqual([4, 4, 3]);
    expect(pass(5)).toEqual(a);
    expect(pass(6)).not.toEqual(a);
    expect(a.flat().sort((p, q) => p - q)).toEqual(Array.from({ length: 11 }, (_, i) => i));
    expect(a.flat()).not.toEqual(Array.from({ length: 11 }, (_, i) => i));
    // One rng across epochs: a different order each epoch, the same sequence of orders each run.
    const epochs = (): number[][] => {
      const rng = mulberry32(9);
      return [0, 1].map(() => [...imageSetBatches(set, { batchSize: 11, shuffle: true, rng, labels: 'sparse' })].flatMap((b) => [...b.y.data]));
    };
    const [e1, e2] = epochs();
    expect(e1).not.toEqual(e2);
    expect(epochs()).toEqual([e1, e2]);
  });

  it('reuses one buffer for shuffled batches and gathers float targets', () => {
    const x: Features = { shape: [4, 1], data: Float32Array.of(10, 20, 30, 40) };
    const y = oneHot(Uint8Array.of(0, 1, 0, 1), 2);
    const seen: Float32Array[] = [];
    for (const b of batches(x, y, { batchSize: 2, shuffle: true, seed: 1 })) {
      seen.push(b.x.data);
      for (let i = 0; i < 2; i++) expect(b.y.data[2 * i + 1]).toBe(((b.x.data[i] as number) / 10) % 2 === 0 ? 1 : 0);
    }
    expect(seen[0]?.buffer).toBe(seen[1]?.buffer);
    expect(seen[0]?.buffer).not.toBe(x.data.buffer);
  });

  it('rejects bad options and labels', () => {
    const set = tinySet(3);
    expect(() => [...batches(set.x, set.y, { batchSize: 0, numClasses: 3 })]).toThrow(/batchSize must be a positive integer, got 0/);
    expect(() => [...batches(set.x, set.y, { batchSize: 2 })]).toThrow(/one-hot labels need numClasses/);
    expect(() => [...batches(set.x, set.y.subarray(0, 2), { batchSize: 2, numClasses: 3 })]).toThrow(/2 targets for 3 samples/);
    expect(() => oneHot(Uint8Array.of(0, 5), 3)).toThrow(/label 5 at index 1 is outside 0\.\.2/);
  });
});
