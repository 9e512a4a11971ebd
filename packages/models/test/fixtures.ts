// Small specs the tests share. LeNet is the tutorial's Keras model, written with the builder as a user would.
import { SpecBuilder } from '../src/index.js';

export function tutorialLeNet() {
  const b = new SpecBuilder('sequential');
  let x = b.input([28, 28, 1]);
  x = b.conv2d(x, { filters: 20, kernelSize: 5, activation: 'relu' });
  x = b.maxPool2d(x, { poolSize: 2, strides: 2 });
  x = b.conv2d(x, { filters: 50, kernelSize: 5, activation: 'relu' });
  x = b.maxPool2d(x, { poolSize: 2, strides: 2 });
  x = b.flatten(x);
  x = b.dense(x, { units: 500, activation: 'relu' });
  x = b.dense(x, { units: 10, activation: 'softmax' });
  return b.build(x);
}

/** `n` stacked 3x3 convolutions (valid padding, stride 1) with `c` channels in and out. */
export function stackedConvs(n: number, k = 3, size = 32, c = 64) {
  const b = new SpecBuilder(`stack_${n}x${k}`);
  let x = b.input([size, size, c]);
  for (let i = 0; i < n; i++) x = b.conv2d(x, { filters: c, kernelSize: k, useBias: false });
  return b.build(x);
}

/** VGG16 as in Keras applications (configuration D), written out here so analysis tests need no builder. */
export function vgg16(classes = 1000) {
  const b = new SpecBuilder('vgg16');
  let x = b.input([224, 224, 3]);
  for (const [convs, filters] of [
    [2, 64],
    [2, 128],
    [3, 256],
    [3, 512],
    [3, 512],
  ] as const) {
    for (let i = 0; i < convs; i++) x = b.conv2d(x, { filters, kernelSize: 3, padding: 'same', activation: 'relu' });
    x = b.maxPool2d(x, { poolSize: 2 });
  }
  x = b.flatten(x);
  x = b.dense(x, { units: 4096, activation: 'relu' });
  x = b.dense(x, { units: 4096, activation: 'relu' });
  x = b.dense(x, { units: classes, activation: 'softmax' });
  return b.build(x);
}
