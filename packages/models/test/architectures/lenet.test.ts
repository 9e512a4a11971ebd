import { describe, expect, it } from 'vitest';
import { countParams, lenet } from '../../src/index.js';
import { layer, ofKind, rows, shapeOf } from './helpers.js';

describe('lenet (tutorial flavour)', () => {
  it('has the tutorial summary rows: Keras names, shapes and parameters, 431,080 in all', () => {
    const spec = lenet();
    expect(rows(spec).slice(1)).toEqual([
      { name: 'conv2d', kind: 'conv2d', shape: [24, 24, 20], params: 520 },
      { name: 'max_pooling2d', kind: 'maxPool2d', shape: [12, 12, 20], params: 0 },
      { name: 'conv2d_1', kind: 'conv2d', shape: [8, 8, 50], params: 25_050 },
      { name: 'max_pooling2d_1', kind: 'maxPool2d', shape: [4, 4, 50], params: 0 },
      { name: 'flatten', kind: 'flatten', shape: [800], params: 0 },
      { name: 'dense', kind: 'dense', shape: [500], params: 400_500 },
      { name: 'dense_1', kind: 'dense', shape: [10], params: 5_010 },
    ]);
    expect(countParams(spec)).toEqual({ total: 431_080, trainable: 431_080, nonTrainable: 0 });
    expect(layer(spec, 'dense_1', 'dense').activation).toBe('softmax');
    expect(spec.meta).toMatchObject({ flavour: 'tutorial' });
  });

  it('honours inputShape and classes', () => {
    const spec = lenet({ inputShape: [32, 32, 3], classes: 7 });
    expect(rows(spec).find((r) => r.name === 'conv2d')).toMatchObject({ shape: [28, 28, 20], params: 5 * 5 * 3 * 20 + 20 });
    expect(shapeOf(spec, 'dense_1')).toEqual([7]);
  });
});

describe('lenet flavour lenet5 (LeCun 1998)', () => {
  it('pads MNIST 28x28 to the 32x32 field and has 6 and 16 tanh maps, average subsampling, 120-84-10: 61,706', () => {
    const spec = lenet({ flavour: 'lenet5' });
    expect(rows(spec).slice(1)).toEqual([
      { name: 'pad', kind: 'zeroPad2d', shape: [32, 32, 1], params: 0 },
      { name: 'c1', kind: 'conv2d', shape: [28, 28, 6], params: 5 * 5 * 6 + 6 },
      { name: 's2', kind: 'avgPool2d', shape: [14, 14, 6], params: 0 },
      { name: 'c3', kind: 'conv2d', shape: [10, 10, 16], params: 5 * 5 * 6 * 16 + 16 },
      { name: 's4', kind: 'avgPool2d', shape: [5, 5, 16], params: 0 },
      { name: 'flatten', kind: 'flatten', shape: [400], params: 0 },
      { name: 'c5', kind: 'dense', shape: [120], params: 400 * 120 + 120 },
      { name: 'f6', kind: 'dense', shape: [84], params: 120 * 84 + 84 },
      { name: 'output', kind: 'dense', shape: [10], params: 84 * 10 + 10 },
    ]);
    expect(countParams(spec).total).toBe(61_706);
    expect(layer(spec, 'pad', 'zeroPad2d').padding).toEqual({ top: 2, bottom: 2, left: 2, right: 2 });
    for (const l of [...ofKind(spec, 'conv2d'), ...ofKind(spec, 'dense')].filter((l) => l.name !== 'output')) expect(l.activation).toBe('tanh');
    expect(spec.meta).toMatchObject({ flavour: 'lenet5' });
  });

  it('takes a 32x32 input as it is, with the same parameters', () => {
    const spec = lenet({ flavour: 'lenet5', inputShape: [32, 32, 1] });
    expect(ofKind(spec, 'zeroPad2d')).toHaveLength(0);
    expect(shapeOf(spec, 'c1')).toEqual([28, 28, 6]);
    expect(countParams(spec).total).toBe(61_706);
  });

  it('is about a seventh of the tutorial LeNet, side by side', () => {
    const ratio = countParams(lenet()).total / countParams(lenet({ flavour: 'lenet5' })).total;
    expect(ratio).toBeGreaterThan(6.9);
    expect(ratio).toBeLessThan(7.1);
  });

  it('rejects an unknown flavour naming the option', () => {
    expect(() => lenet({ flavour: 'lenet1' as never })).toThrow(/lenet: option 'flavour' must be one of 'tutorial', 'lenet5', got "lenet1"/);
  });
});
