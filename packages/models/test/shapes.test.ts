import { describe, expect, it } from 'vitest';
import { SpecBuilder, inferShapes, type Padding } from '../src/index.js';
import { axisPadding } from '../src/geometry.js';
import { tutorialLeNet } from './fixtures.js';

function convShape(size: [number, number, number], o: Parameters<SpecBuilder['conv2d']>[1]) {
  const b = new SpecBuilder('t');
  const x = b.conv2d(b.input(size), o);
  return inferShapes(b.build(x)).get(x);
}

describe('inferShapes', () => {
  it('gives the tutorial LeNet shapes', () => {
    const shapes = inferShapes(tutorialLeNet());
    expect(Object.fromEntries(shapes)).toEqual({
      input_layer: [28, 28, 1],
      conv2d: [24, 24, 20],
      max_pooling2d: [12, 12, 20],
      conv2d_1: [8, 8, 50],
      max_pooling2d_1: [4, 4, 50],
      flatten: [800],
      dense: [500],
      dense_1: [10],
    });
  });

  it('valid padding floors, same padding is ceil(in / stride)', () => {
    expect(convShape([7, 8, 3], { filters: 4, kernelSize: 3, strides: 2 })).toEqual([3, 3, 4]);
    expect(convShape([7, 8, 3], { filters: 4, kernelSize: 3, strides: 2, padding: 'same' })).toEqual([4, 4, 4]);
    expect(convShape([224, 224, 3], { filters: 64, kernelSize: 7, strides: 2, padding: 'same' })).toEqual([112, 112, 64]);
    expect(convShape([6, 5, 1], { filters: 2, kernelSize: 4, padding: 'same' })).toEqual([6, 5, 2]);
  });

  it('splits same padding with the odd cell after, as TensorFlow does', () => {
    // even input, stride 2, 3x3: one cell of padding in total, all of it after (PyTorch would put it before)
    expect(axisPadding('same', 0, 8, 3, 2)).toEqual([0, 1]);
    // odd input, stride 2: two cells, one on each side
    expect(axisPadding('same', 0, 7, 3, 2)).toEqual([1, 1]);
    // stride 1, even kernel 4: three cells, 1 before and 2 after
    expect(axisPadding('same', 1, 6, 4, 1)).toEqual([1, 2]);
    const box: Padding = { top: 1, bottom: 2, left: 3, right: 4 };
    expect(axisPadding(box, 0, 10, 3, 1)).toEqual([1, 2]);
    expect(axisPadding(box, 1, 10, 3, 1)).toEqual([3, 4]);
  });

  it('handles explicit padding, dilation and groups', () => {
    expect(convShape([10, 10, 3], { filters: 2, kernelSize: 3, padding: { top: 1, bottom: 0, left: 2, right: 2 } })).toEqual([9, 12, 2]);
    // dilation 2 turns a 3x3 kernel into a 5x5 extent
    expect(convShape([10, 9, 3], { filters: 2, kernelSize: 3, dilation: 2 })).toEqual([6, 5, 2]);
    expect(convShape([10, 10, 3], { filters: 2, kernelSize: 3, dilation: [1, 3], padding: 'same' })).toEqual([10, 10, 2]);
    expect(convShape([8, 8, 16], { filters: 32, kernelSize: 3, groups: 4, strides: 2, padding: 'same' })).toEqual([4, 4, 32]);
  });

  it('pools, pads, flattens in (h, w, c) order, merges and resizes', () => {
    const b = new SpecBuilder('t');
    const x = b.input([7, 7, 3]);
    const p = b.maxPool2d(x, { poolSize: 3, strides: 2, padding: 'same' });
    const a = b.avgPool2d(x, { poolSize: 2 });
    const z = b.zeroPad2d(x, { padding: [1, 2] });
    const c1 = b.conv2d(x, { filters: 5, kernelSize: 1, strides: 2, padding: 'same' });
    const cat = b.concat([p, c1]);
    const sum = b.add([p, b.conv2d(p, { filters: 3, kernelSize: 1 })]);
    const g = b.globalAvgPool2d(cat);
    const r = b.resize(a, { size: [224, 112] });
    const f = b.flatten(z);
    const d = b.dense(g, { units: 4 });
    const s = inferShapes(b.build([sum, r, f, d]));
    expect(s.get(p)).toEqual([4, 4, 3]);
    expect(s.get(a)).toEqual([3, 3, 3]);
    expect(s.get(z)).toEqual([9, 11, 3]);
    expect(s.get(cat)).toEqual([4, 4, 8]);
    expect(s.get(sum)).toEqual([4, 4, 3]);
    expect(s.get(g)).toEqual([8]);
    expect(s.get(r)).toEqual([224, 112, 3]);
    expect(s.get(f)).toEqual([9 * 11 * 3]);
    expect(s.get(d)).toEqual([4]);
  });
});
