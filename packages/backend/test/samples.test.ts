import { describe, expect, it } from 'vitest';
import { validationSplitIndex } from '../src/index.js';

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
});
