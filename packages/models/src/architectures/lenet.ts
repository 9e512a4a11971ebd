// LeNet: the tutorial's modern Keras LeNet (ReLU, max pooling, 20 and 50 maps, dense 500) and, as a flavour, the
// 1998 LeNet-5 of LeCun et al. ("Gradient-based learning applied to document recognition"), so the difference the
// tutorial glosses over can be seen side by side.
import { SpecBuilder } from '../graph.js';
import type { ModelSpec, Shape3 } from '../types.js';
import { checkChoice, checkHead, checkInputShape, type ClassifierOptions, type Head } from './common.js';

export const LENET_FLAVOURS = ['tutorial', 'lenet5'] as const;
export type LeNetFlavour = (typeof LENET_FLAVOURS)[number];

export interface LeNetOptions extends ClassifierOptions {
  /** 'tutorial' (default): the tutorial's Keras model. 'lenet5': the 1998 paper's network. */
  flavour?: LeNetFlavour;
}

export const LENET_INPUT: Shape3 = [28, 28, 1];
/** LeNet-5's C1 looks at a 32x32 field; smaller images are centred in it with zero padding. */
const LENET5_FIELD = 32;

export function lenet(options: LeNetOptions = {}): ModelSpec {
  const flavour = checkChoice('lenet', 'flavour', options.flavour, LENET_FLAVOURS, 'tutorial');
  const inputShape = checkInputShape('lenet', options.inputShape, LENET_INPUT);
  const head = checkHead('lenet', options, 10);
  return flavour === 'tutorial' ? tutorialLeNet(inputShape, head) : lenet5(inputShape, head);
}

/** The tutorial's Sequential model, with Keras' automatic names: conv2d, max_pooling2d, ..., dense_1. */
function tutorialLeNet(inputShape: Shape3, head: Head): ModelSpec {
  const b = new SpecBuilder('lenet');
  let x = b.input(inputShape); //                                      28 x 28 x 1
  x = b.conv2d(x, { filters: 20, kernelSize: 5, activation: 'relu' }); // 24 x 24 x 20
  x = b.maxPool2d(x, { poolSize: 2, strides: 2 }); //                  12 x 12 x 20
  x = b.conv2d(x, { filters: 50, kernelSize: 5, activation: 'relu' }); // 8 x 8 x 50
  x = b.maxPool2d(x, { poolSize: 2, strides: 2 }); //                  4 x 4 x 50
  const meta = { flavour: 'tutorial', source: 'tutorial (Keras Sequential LeNet)' };
  if (!head.includeTop) return b.build(x, meta);
  x = b.flatten(x); //                                                 800
  x = b.dense(x, { units: 500, activation: 'relu' });
  x = b.dense(x, { units: head.classes, activation: head.activation });
  return b.build(x, meta);
}

/**
 * LeNet-5 as in the paper, with these deliberate simplifications (the usual ones, as in most re-implementations):
 * - C3 connects every S2 map to every C3 map (the paper's table connects only 60 of the 96 pairs);
 * - S2/S4 are plain 2x2 average pooling (the paper multiplies the sum by a trainable coefficient, adds a
 *   trainable bias and squashes it);
 * - tanh is the plain tanh (the paper scales it: 1.7159 tanh(2a/3));
 * - C5 is a dense layer on the flattened S4 (the same thing as the paper's 5x5 conv on a 5x5 map);
 * - the output is a softmax dense layer (the paper uses Euclidean RBF units).
 * Input: C1 needs the paper's 32x32 field. A smaller image (MNIST's 28x28) is zero-padded to it inside the graph
 * (2 pixels per side for 28x28, as the paper centres the digits), so the same MNIST tensors feed both LeNets.
 * Larger images are used as they are. With the 32x32 field: 61,706 parameters.
 */
function lenet5(inputShape: Shape3, head: Head): ModelSpec {
  const b = new SpecBuilder('lenet5');
  let x = b.input(inputShape);
  const [h, w] = inputShape;
  if (h < LENET5_FIELD || w < LENET5_FIELD) {
    const ph = Math.max(LENET5_FIELD - h, 0);
    const pw = Math.max(LENET5_FIELD - w, 0);
    const padding = { top: Math.floor(ph / 2), bottom: ph - Math.floor(ph / 2), left: Math.floor(pw / 2), right: pw - Math.floor(pw / 2) };
    x = b.zeroPad2d(x, { name: 'pad', padding }); //                                 32 x 32 x 1
  }
  x = b.conv2d(x, { name: 'c1', filters: 6, kernelSize: 5, activation: 'tanh' }); //  28 x 28 x 6
  x = b.avgPool2d(x, { name: 's2', poolSize: 2, strides: 2 }); //                     14 x 14 x 6
  x = b.conv2d(x, { name: 'c3', filters: 16, kernelSize: 5, activation: 'tanh' }); // 10 x 10 x 16
  x = b.avgPool2d(x, { name: 's4', poolSize: 2, strides: 2 }); //                     5 x 5 x 16
  const meta = { flavour: 'lenet5', source: 'LeCun et al. 1998, LeNet-5 (full C3 connections, softmax output)' };
  if (!head.includeTop) return b.build(x, meta);
  x = b.flatten(x, { name: 'flatten' }); //                                           400
  x = b.dense(x, { name: 'c5', units: 120, activation: 'tanh' });
  x = b.dense(x, { name: 'f6', units: 84, activation: 'tanh' });
  x = b.dense(x, { name: 'output', units: head.classes, activation: head.activation });
  return b.build(x, meta);
}
