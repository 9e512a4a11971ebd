import { describe, expect, it } from 'vitest';
import { type ImageSet, mulberry32, oneHot, permutation, sliceImageSet, toTensor } from '../src/index.js';

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

describe('features to tensors', () => {
  it('scales bytes to float32 exactly as x.astype(float32) / 255', () => {
    const x = toTensor(tinySet(3).x);
    expect(x.shape).toEqual([3, 2, 1, 1]);
    expect([...x.data]).toEqual([0, 1, 2, 3, 4, 5].map((v) => Math.fround(v / 255)));
  });

  it('one-hot rows, and slices as views', () => {
    const set = tinySet(10);
    expect([...oneHot(set.y.subarray(7), 3).data]).toEqual([0, 1, 0, 0, 0, 1, 1, 0, 0]);
    const last = sliceImageSet(set, 7, 10);
    expect([...last.x.data]).toEqual([14, 15, 16, 17, 18, 19]);
    expect(last.x.data.buffer).toBe(set.x.data.buffer);
    expect(() => sliceImageSet(set, 7, 11)).toThrow(/slice \[7, 11\) is outside the 10 samples/);
  });

  it('rejects labels outside the classes', () => {
    expect(() => oneHot(Uint8Array.of(0, 5), 3)).toThrow(/label 5 at index 1 is outside 0\.\.2/);
  });
});
