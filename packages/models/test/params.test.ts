import { describe, expect, it } from 'vitest';
import { SpecBuilder, countParams, paramInfos } from '../src/index.js';
import { tutorialLeNet } from './fixtures.js';

describe('paramInfos / countParams', () => {
  it('counts the tutorial LeNet: 431,080, all trainable', () => {
    expect(countParams(tutorialLeNet())).toEqual({ total: 431_080, trainable: 431_080, nonTrainable: 0 });
  });

  it('names and shapes parameters in Keras layout', () => {
    const infos = paramInfos(tutorialLeNet());
    expect(infos.map((p) => [p.name, p.shape])).toEqual([
      ['conv2d/kernel', [5, 5, 1, 20]],
      ['conv2d/bias', [20]],
      ['conv2d_1/kernel', [5, 5, 20, 50]],
      ['conv2d_1/bias', [50]],
      ['dense/kernel', [800, 500]],
      ['dense/bias', [500]],
      ['dense_1/kernel', [500, 10]],
      ['dense_1/bias', [10]],
    ]);
  });

  it('keeps BatchNorm moving statistics non-trainable, groups divide the kernel', () => {
    const b = new SpecBuilder('t');
    let x = b.input([8, 8, 16]);
    x = b.conv2d(x, { filters: 32, kernelSize: 3, groups: 4, useBias: false });
    x = b.batchNorm(x);
    x = b.batchNorm(x, { center: false, scale: false });
    const spec = b.build(x);
    expect(paramInfos(spec).map((p) => [p.name, p.shape, p.trainable])).toEqual([
      ['conv2d/kernel', [3, 3, 4, 32], true],
      ['batch_normalization/gamma', [32], true],
      ['batch_normalization/beta', [32], true],
      ['batch_normalization/moving_mean', [32], false],
      ['batch_normalization/moving_variance', [32], false],
      ['batch_normalization_1/moving_mean', [32], false],
      ['batch_normalization_1/moving_variance', [32], false],
    ]);
    expect(countParams(spec)).toEqual({ total: 3 * 3 * 4 * 32 + 6 * 32, trainable: 3 * 3 * 4 * 32 + 2 * 32, nonTrainable: 4 * 32 });
  });

  it('makes every parameter of a frozen layer non-trainable', () => {
    const b = new SpecBuilder('t');
    let x = b.input([4, 4, 2]);
    x = b.conv2d(x, { filters: 3, kernelSize: 1, trainable: false });
    x = b.batchNorm(x, { trainable: false });
    x = b.flatten(x);
    x = b.dense(x, { units: 2 });
    const c = countParams(b.build(x));
    expect(c).toEqual({ total: 9 + 12 + 48 * 2 + 2, trainable: 48 * 2 + 2, nonTrainable: 9 + 12 });
  });
});
