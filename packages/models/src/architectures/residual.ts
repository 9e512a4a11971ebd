// The tutorial's pre-activation residual unit and its small MNIST ResNet (the tutorial's ResidualUnit, ResnetLayer and
// ResNet Keras classes, as a graph).
import type { PairLike } from '../graph.js';
import { SpecBuilder } from '../graph.js';
import type { ModelSpec, Shape3 } from '../types.js';
import { checkHead, checkInputShape, checkPositiveNumber, type ClassifierOptions, ModelOptionError } from './common.js';

export interface ResidualUnitOptions {
  /** Channels of the unit's input: equal to filterOut gives an identity shortcut, otherwise a 1x1 projection. */
  filterIn: number;
  filterOut: number;
  kernelSize: PairLike;
  /** Prefix of the layer names (`<name>_bn1`, `<name>_relu1`, `<name>_conv1`, ..., `<name>_add`); Keras auto-names without it. */
  name?: string;
  /** BatchNorm epsilon (Keras' default 1e-3). */
  bnEpsilon?: number;
}

/**
 * Pre-activation unit (He et al. 2016, "Identity Mappings"): BN-ReLU-Conv-BN-ReLU-Conv, plus the input itself
 * when filterIn === filterOut, or a 1x1 'same' conv of it (with bias, as the tutorial's Conv2D) when they differ.
 * Layer order follows the tutorial's attributes (batch_norm1, conv1, batch_norm2, conv2, identity), which is
 * Keras' weight order for the subclassed model.
 */
export function residualUnit(b: SpecBuilder, x: string, o: ResidualUnitOptions): string {
  const named = (suffix: string) => (o.name === undefined ? undefined : `${o.name}_${suffix}`);
  const epsilon = o.bnEpsilon ?? 1e-3;
  let h = b.batchNorm(x, { name: named('bn1'), epsilon });
  h = b.relu(h, { name: named('relu1') });
  h = b.conv2d(h, { name: named('conv1'), filters: o.filterOut, kernelSize: o.kernelSize, padding: 'same' });
  h = b.batchNorm(h, { name: named('bn2'), epsilon });
  h = b.relu(h, { name: named('relu2') });
  h = b.conv2d(h, { name: named('conv2'), filters: o.filterOut, kernelSize: o.kernelSize, padding: 'same' });
  const shortcut = o.filterIn === o.filterOut ? x : b.conv2d(x, { name: named('identity'), filters: o.filterOut, kernelSize: 1, padding: 'same' });
  return b.add([shortcut, h], { name: named('add') });
}

/** The tutorial's ResnetLayer(filter_in, (f1, f2), kernel): two residual units, filterIn -> f1 -> f2. */
export function residualLayer(
  b: SpecBuilder,
  x: string,
  o: { filterIn: number; filters: [number, number]; kernelSize: PairLike; name: string; bnEpsilon?: number },
): string {
  const [f1, f2] = o.filters;
  const u1 = residualUnit(b, x, { filterIn: o.filterIn, filterOut: f1, kernelSize: o.kernelSize, name: `${o.name}_unit1`, bnEpsilon: o.bnEpsilon });
  return residualUnit(b, u1, { filterIn: f1, filterOut: f2, kernelSize: o.kernelSize, name: `${o.name}_unit2`, bnEpsilon: o.bnEpsilon });
}

export interface TutorialResNetOptions extends ClassifierOptions {
  /** Only 'tutorial'. */
  flavour?: 'tutorial';
  bnEpsilon?: number;
}

export const TUTORIAL_RESNET_INPUT: Shape3 = [28, 28, 1];

/**
 * The tutorial's MNIST ResNet, names from its attributes (conv1, res1, pool1, ..., dense2). 576,282 trainable
 * parameters at 28x28x1 (plus 784 BatchNorm statistics).
 */
export function tutorialResnet(options: TutorialResNetOptions = {}): ModelSpec {
  if (options.flavour !== undefined && options.flavour !== 'tutorial')
    throw new ModelOptionError('resnet_tutorial', 'flavour', `must be 'tutorial', got ${JSON.stringify(options.flavour)}`);
  const inputShape = checkInputShape('resnet_tutorial', options.inputShape, TUTORIAL_RESNET_INPUT);
  const head = checkHead('resnet_tutorial', options, 10);
  const bnEpsilon = checkPositiveNumber('resnet_tutorial', 'bnEpsilon', options.bnEpsilon, 1e-3);
  const b = new SpecBuilder('resnet_tutorial');
  let x = b.input(inputShape); //                                                                  28 x 28 x 1
  x = b.conv2d(x, { name: 'conv1', filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }); // 28 x 28 x 8
  x = residualLayer(b, x, { name: 'res1', filterIn: 8, filters: [16, 16], kernelSize: 3, bnEpsilon }); // 28 x 28 x 16
  x = b.maxPool2d(x, { name: 'pool1', poolSize: 2 }); //                                            14 x 14 x 16
  x = residualLayer(b, x, { name: 'res2', filterIn: 16, filters: [32, 32], kernelSize: 3, bnEpsilon }); // 14 x 14 x 32
  x = b.maxPool2d(x, { name: 'pool2', poolSize: 2 }); //                                            7 x 7 x 32
  x = residualLayer(b, x, { name: 'res3', filterIn: 32, filters: [64, 64], kernelSize: 3, bnEpsilon }); // 7 x 7 x 64
  const meta = { flavour: 'tutorial', source: 'tutorial (Keras ResidualUnit / ResnetLayer / ResNet for MNIST)' };
  if (!head.includeTop) return b.build(x, meta);
  x = b.flatten(x, { name: 'flatten' }); //                                                         3136
  x = b.dense(x, { name: 'dense1', units: 128, activation: 'relu' });
  x = b.dense(x, { name: 'dense2', units: head.classes, activation: head.activation });
  return b.build(x, meta);
}
