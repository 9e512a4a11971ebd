import { describe, expect, it } from 'vitest';
import { decodePredictions } from '../src/index.js';

describe('decodePredictions', () => {
  const labels = ['a', 'b', 'c', 'd'];
  it('returns the top k with labels, ties to the lower index', () => {
    const p = new Float32Array([0.1, 0.4, 0.1, 0.4]);
    expect(decodePredictions(p, labels, 3)).toEqual([
      { index: 1, label: 'b', probability: Math.fround(0.4) },
      { index: 3, label: 'd', probability: Math.fround(0.4) },
      { index: 0, label: 'a', probability: Math.fround(0.1) },
    ]);
    expect(decodePredictions(p, labels, 10)).toHaveLength(4);
  });
  it('rejects a length mismatch and a bad k', () => {
    expect(() => decodePredictions(new Float32Array(3), labels)).toThrow(/3 scores but 4 labels/);
    expect(() => decodePredictions(new Float32Array(4), labels, 0)).toThrow(/k must be an integer >= 1, got 0/);
  });
});
