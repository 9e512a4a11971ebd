// AlexNet in two flavours: the tutorial's Keras Sequential (BatchNorm where the paper had LRN, ZeroPadding layers,
// one sigmoid output for its two-class example) and torchvision's alexnet (the single-GPU "one weird trick"
// variant with 64/192 filters, no normalisation, 61,100,840 parameters for 1000 classes).
import { SpecBuilder } from '../graph.js';
import type { ModelSpec, Shape3 } from '../types.js';
import { checkChoice, checkHead, checkInputShape, shapeAt, torchPad, type ClassifierOptions, type Head } from './common.js';

export const ALEXNET_FLAVOURS = ['tutorial', 'torchvision'] as const;
export type AlexNetFlavour = (typeof ALEXNET_FLAVOURS)[number];

export interface AlexNetOptions extends ClassifierOptions {
  /** 'tutorial' (default) or 'torchvision'. */
  flavour?: AlexNetFlavour;
}

export const ALEXNET_INPUT: Shape3 = [224, 224, 3];

export function alexnet(options: AlexNetOptions = {}): ModelSpec {
  const flavour = checkChoice('alexnet', 'flavour', options.flavour, ALEXNET_FLAVOURS, 'tutorial');
  const inputShape = checkInputShape('alexnet', options.inputShape, ALEXNET_INPUT);
  // The tutorial ends in Dense(1, sigmoid) (a two-class example); `classes: N` (N > 1) gives a softmax over N.
  if (flavour === 'tutorial')
    return tutorialAlexNet(
      inputShape,
      checkHead('alexnet', options, 1, (classes) => (classes === 1 ? 'sigmoid' : 'softmax')),
    );
  return torchvisionAlexNet(inputShape, checkHead('alexnet', options, 1000));
}

/** The tutorial's Sequential, layer for layer, with Keras' automatic names. */
function tutorialAlexNet(inputShape: Shape3, head: Head): ModelSpec {
  const b = new SpecBuilder('alexnet');
  let x = b.input(inputShape); //                                                                 224 x 224 x 3
  x = b.conv2d(x, { filters: 96, kernelSize: 11, strides: 4, activation: 'relu' }); //           54 x 54 x 96
  x = b.maxPool2d(x, { poolSize: 3, strides: 2 }); //                                             26 x 26 x 96
  x = b.batchNorm(x);
  x = b.zeroPad2d(x, { padding: 2 });
  x = b.conv2d(x, { filters: 256, kernelSize: 5, activation: 'relu' }); //                        26 x 26 x 256
  x = b.maxPool2d(x, { poolSize: 3, strides: 2 }); //                                             12 x 12 x 256
  x = b.batchNorm(x);
  for (const filters of [384, 384, 256]) {
    x = b.zeroPad2d(x, { padding: 1 });
    x = b.conv2d(x, { filters, kernelSize: 3, activation: 'relu' }); //                           12 x 12 x 384|256
  }
  x = b.maxPool2d(x, { poolSize: 3, strides: 2 }); //                                             5 x 5 x 256
  const meta = { flavour: 'tutorial', source: 'tutorial (Keras Sequential AlexNet with BatchNormalization)' };
  if (!head.includeTop) return b.build(x, meta);
  x = b.flatten(x); //                                                                            6400
  x = b.dense(x, { units: 4096, activation: 'relu' });
  x = b.dropout(x, { rate: 0.5 });
  x = b.dense(x, { units: 4096, activation: 'relu' });
  x = b.dropout(x, { rate: 0.5 });
  x = b.dense(x, { units: head.classes, activation: head.activation });
  return b.build(x, meta);
}

/**
 * torchvision.models.alexnet. Layer names are torchvision's module paths with '.' -> '_' (features_0 is
 * `features.0`), so its state dict maps by name. ReLUs are folded into the conv/dense layers they follow.
 * Padding is PyTorch's symmetric padding (explicit), not Keras 'same'.
 * AdaptiveAvgPool2d((6, 6)): at 224x224 the features are already 6x6, so the pooling is the identity and is left
 * out; when they are a multiple of 6 it is an exact average pool; otherwise (small test inputs) it is left out
 * and the classifier takes the features at their own size (spec.meta.adaptivePool says which).
 */
function torchvisionAlexNet(inputShape: Shape3, head: Head): ModelSpec {
  const b = new SpecBuilder('alexnet');
  let x = b.input(inputShape); //                                                                              224 x 224 x 3
  x = b.conv2d(x, { name: 'features_0', filters: 64, kernelSize: 11, strides: 4, padding: torchPad(2), activation: 'relu' }); // 55 x 55 x 64
  x = b.maxPool2d(x, { name: 'features_2', poolSize: 3, strides: 2 }); //                                     27 x 27 x 64
  x = b.conv2d(x, { name: 'features_3', filters: 192, kernelSize: 5, padding: torchPad(2), activation: 'relu' }); // 27 x 27 x 192
  x = b.maxPool2d(x, { name: 'features_5', poolSize: 3, strides: 2 }); //                                     13 x 13 x 192
  x = b.conv2d(x, { name: 'features_6', filters: 384, kernelSize: 3, padding: torchPad(1), activation: 'relu' });
  x = b.conv2d(x, { name: 'features_8', filters: 256, kernelSize: 3, padding: torchPad(1), activation: 'relu' });
  x = b.conv2d(x, { name: 'features_10', filters: 256, kernelSize: 3, padding: torchPad(1), activation: 'relu' }); // 13 x 13 x 256
  x = b.maxPool2d(x, { name: 'features_12', poolSize: 3, strides: 2 }); //                                    6 x 6 x 256
  if (!head.includeTop) return b.build(x, { flavour: 'torchvision', source: 'torchvision.models.alexnet (features)' });
  const [h, w] = shapeAt(b, x) as [number, number, number];
  let adaptivePool = 'identity (features are 6x6)';
  if ((h !== 6 || w !== 6) && h % 6 === 0 && w % 6 === 0) {
    x = b.avgPool2d(x, { name: 'avgpool', poolSize: [h / 6, w / 6] });
    adaptivePool = `average pool ${h / 6}x${w / 6}`;
  } else if (h !== 6 || w !== 6) {
    adaptivePool = `omitted (features are ${h}x${w}, not a multiple of 6)`;
  }
  x = b.flatten(x, { name: 'flatten' }); //                                                                   9216
  x = b.dropout(x, { name: 'classifier_0', rate: 0.5 });
  x = b.dense(x, { name: 'classifier_1', units: 4096, activation: 'relu' });
  x = b.dropout(x, { name: 'classifier_3', rate: 0.5 });
  x = b.dense(x, { name: 'classifier_4', units: 4096, activation: 'relu' });
  x = b.dense(x, { name: 'classifier_6', units: head.classes, activation: head.activation });
  return b.build(x, { flavour: 'torchvision', source: 'torchvision.models.alexnet', adaptivePool });
}
