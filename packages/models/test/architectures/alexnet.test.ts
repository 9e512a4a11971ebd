import { describe, expect, it } from 'vitest';
import { alexnet, countParams } from '../../src/index.js';
import { layer, ofKind, outputShapes, rows, shapeOf } from './helpers.js';

describe('alexnet (tutorial flavour)', () => {
  it("is the tutorial's Sequential layer for layer: 46,752,513 parameters, 46,751,809 trainable", () => {
    const spec = alexnet();
    expect(rows(spec).map((r) => `${r.kind} ${r.shape.join('x')}`)).toEqual([
      'input 224x224x3',
      'conv2d 54x54x96',
      'maxPool2d 26x26x96',
      'batchNorm 26x26x96',
      'zeroPad2d 30x30x96',
      'conv2d 26x26x256',
      'maxPool2d 12x12x256',
      'batchNorm 12x12x256',
      'zeroPad2d 14x14x256',
      'conv2d 12x12x384',
      'zeroPad2d 14x14x384',
      'conv2d 12x12x384',
      'zeroPad2d 14x14x384',
      'conv2d 12x12x256',
      'maxPool2d 5x5x256',
      'flatten 6400',
      'dense 4096',
      'dropout 4096',
      'dense 4096',
      'dropout 4096',
      'dense 1',
    ]);
    expect(countParams(spec)).toEqual({ total: 46_752_513, trainable: 46_751_809, nonTrainable: 704 });
    expect(layer(spec, 'dense_2', 'dense').activation).toBe('sigmoid');
    expect(ofKind(spec, 'dropout').map((d) => d.rate)).toEqual([0.5, 0.5]);
    expect(layer(spec, 'conv2d', 'conv2d')).toMatchObject({ kernelSize: [11, 11], strides: [4, 4], activation: 'relu' });
  });

  it('classes: N gives a softmax over N', () => {
    const spec = alexnet({ classes: 10 });
    expect(layer(spec, 'dense_2', 'dense')).toMatchObject({ units: 10, activation: 'softmax' });
  });
});

describe('alexnet flavour torchvision', () => {
  it('has 61,100,840 parameters with torchvision names and the 9216 -> 4096 classifier', () => {
    const spec = alexnet({ flavour: 'torchvision' });
    expect(countParams(spec)).toEqual({ total: 61_100_840, trainable: 61_100_840, nonTrainable: 0 });
    expect(ofKind(spec, 'conv2d').map((c) => c.name)).toEqual(['features_0', 'features_3', 'features_6', 'features_8', 'features_10']);
    expect(ofKind(spec, 'dense').map((c) => c.name)).toEqual(['classifier_1', 'classifier_4', 'classifier_6']);
    expect(shapeOf(spec, 'features_0')).toEqual([55, 55, 64]);
    expect(layer(spec, 'features_0', 'conv2d').padding).toEqual({ top: 2, bottom: 2, left: 2, right: 2 });
    expect(shapeOf(spec, 'flatten')).toEqual([9216]);
    // Dropout comes before the dense layers, as torchvision's classifier.
    expect(spec.layers.slice(-6).map((l) => l.kind)).toEqual(['flatten', 'dropout', 'dense', 'dropout', 'dense', 'dense']);
  });

  it('leaves out the adaptive 6x6 pool where it is the identity (224) and says so', () => {
    const spec = alexnet({ flavour: 'torchvision' });
    expect(shapeOf(spec, 'features_12')).toEqual([6, 6, 256]);
    expect(ofKind(spec, 'avgPool2d')).toHaveLength(0);
    expect(spec.meta?.adaptivePool).toMatch(/identity/);
  });

  it('at a small input the classifier takes the features at their own size', () => {
    const spec = alexnet({ flavour: 'torchvision', inputShape: [64, 64, 3], classes: 5 });
    expect(shapeOf(spec, 'features_12')).toEqual([1, 1, 256]);
    expect(shapeOf(spec, 'flatten')).toEqual([256]);
    expect(outputShapes(spec)).toEqual([[5]]);
    expect(spec.meta?.adaptivePool).toMatch(/omitted/);
  });

  it('is an exact average pool when the features are a multiple of 6 (415x415 -> 12x12)', () => {
    const spec = alexnet({ flavour: 'torchvision', inputShape: [415, 415, 3] });
    expect(shapeOf(spec, 'features_12')).toEqual([12, 12, 256]);
    expect(layer(spec, 'avgpool', 'avgPool2d')).toMatchObject({ poolSize: [2, 2], strides: [2, 2] });
    expect(shapeOf(spec, 'flatten')).toEqual([9216]);
    expect(countParams(spec).total).toBe(61_100_840);
  });
});
