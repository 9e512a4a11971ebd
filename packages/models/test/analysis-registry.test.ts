// analyze() on the registered architectures against figures published independently of this code: torchvision's
// model table lists GFLOPS (which it counts as multiply-accumulates of convs and linears) to two decimals.
import { describe, expect, it } from 'vitest';
import { analyze, getModel } from '../src/index.js';

const TORCHVISION_GMACS: [string, Record<string, unknown>, number][] = [
  ['alexnet', { flavour: 'torchvision' }, 0.71],
  ['vgg16', {}, 15.47],
  ['vgg19', {}, 19.63],
  ['googlenet', { flavour: 'torchvision', inputShape: [224, 224, 3] }, 1.5],
  ['inception_v3', {}, 5.71],
  ['resnet18', { flavour: 'torchvision' }, 1.81],
  ['resnet34', { flavour: 'torchvision' }, 3.66],
  ['resnet50', { flavour: 'torchvision' }, 4.09],
  ['resnet101', { flavour: 'torchvision' }, 7.8],
  ['resnet152', { flavour: 'torchvision' }, 11.51],
];

describe('analyze on registered models', () => {
  it.each(TORCHVISION_GMACS)('%s counts the multiply-accumulates torchvision publishes', (name, options, gmacs) => {
    const { totals } = analyze(getModel(name, options));
    expect(Math.abs(totals.macs / 1e9 - gmacs)).toBeLessThan(0.01);
  });

  it('gives VGG16 the classic memory table figures: 138M weights (~528 MB) and ~15M activations per image', () => {
    const { totals } = analyze(getModel('vgg16'));
    expect(totals.params).toBe(138_357_544);
    expect(totals.paramBytes / 2 ** 20).toBeCloseTo(527.79, 2);
    // the cs231n rows: INPUT, CONV3-64 x2, POOL, CONV3-128 x2, POOL, ..., FC 4096, 4096, 1000
    const cs231nRows =
      224 * 224 * 3 +
      2 * 224 * 224 * 64 +
      112 * 112 * 64 +
      2 * 112 * 112 * 128 +
      56 * 56 * 128 +
      3 * 56 * 56 * 256 +
      28 * 28 * 256 +
      3 * 28 * 28 * 512 +
      14 * 14 * 512 +
      3 * 14 * 14 * 512 +
      7 * 7 * 512 +
      4096 +
      4096 +
      1000;
    // plus Keras' Flatten layer, which the table does not list
    expect(totals.activations).toBe(cs231nRows + 7 * 7 * 512);
  });
});
