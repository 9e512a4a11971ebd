// VGG as data: torchvision's `cfgs` (numbers are 3x3 conv filters, 'M' a 2x2 max pool) and one builder, with
// keras.applications' layer names (block1_conv1 ... block5_pool, flatten, fc1, fc2, predictions).
import { SpecBuilder } from '../graph.js';
import type { ModelSpec, Shape3 } from '../types.js';
import { TORCH_BN, checkBoolean, checkChoice, checkHead, checkInputShape, checkPositiveNumber, type ClassifierOptions, ModelOptionError } from './common.js';

/** Configurations A, B, D and E of Simonyan & Zisserman (2014), Table 1. */
export const VGG_CONFIGS = {
  vgg11: [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  vgg13: [64, 64, 'M', 128, 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  vgg16: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
  vgg19: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 256, 'M', 512, 512, 512, 512, 'M', 512, 512, 512, 512, 'M'],
} as const satisfies Record<string, readonly (number | 'M')[]>;
export type VggName = keyof typeof VGG_CONFIGS;

export interface VggOptions extends ClassifierOptions {
  /** Only 'keras' (keras.applications layout and names); the option exists so the registry can record it. */
  flavour?: 'keras';
  /** With includeTop false: 'avg' adds a global average pool (Keras' pooling='avg'). */
  pooling?: 'avg';
  /**
   * torchvision's vgg*_bn: conv (with bias, as torchvision keeps it) + BatchNorm + ReLU, named blockI_convJ,
   * blockI_bnJ, blockI_reluJ. Keras ships no BatchNorm VGG.
   */
  batchNorm?: boolean;
  /** BatchNorm epsilon with batchNorm: true (default torchvision's 1e-5; momentum is torchvision's 0.1, Keras 0.9). */
  bnEpsilon?: number;
}

export const VGG_INPUT: Shape3 = [224, 224, 3];

/**
 * Any VGG configuration. The classifier is Keras' (fc1, fc2 without dropout); torchvision adds Dropout(0.5)
 * after each, which has no parameters and does nothing at inference.
 * Shapes at 224x224: block1 224x224x64, block2 112x112x128, block3 56x56x256, block4 28x28x512,
 * block5 14x14x512, block5_pool 7x7x512, flatten 25088.
 */
export function vgg(config: VggName, options: VggOptions = {}): ModelSpec {
  const cfg = VGG_CONFIGS[config];
  if (cfg === undefined) throw new Error(`vgg: unknown configuration '${String(config)}'; known: ${Object.keys(VGG_CONFIGS).join(', ')}`);
  const batchNorm = checkBoolean(config, 'batchNorm', options.batchNorm, false);
  const model = batchNorm ? `${config}_bn` : config;
  const flavour = checkChoice(model, 'flavour', options.flavour, ['keras'], 'keras');
  const inputShape = checkInputShape(model, options.inputShape, VGG_INPUT);
  const head = checkHead(model, options, 1000);
  const includeTop = head.includeTop;
  const pooling = options.pooling === undefined ? undefined : checkChoice(model, 'pooling', options.pooling, ['avg'], 'avg');
  const epsilon = checkPositiveNumber(model, 'bnEpsilon', options.bnEpsilon, TORCH_BN.epsilon);
  if (!batchNorm && options.bnEpsilon !== undefined) throw new ModelOptionError(model, 'bnEpsilon', 'needs batchNorm: true');
  if (includeTop && pooling !== undefined) throw new ModelOptionError(model, 'pooling', 'applies only with includeTop: false');

  const b = new SpecBuilder(model);
  let x = b.input(inputShape);
  let block = 1;
  let conv = 1;
  for (const v of cfg) {
    if (v === 'M') {
      x = b.maxPool2d(x, { name: `block${block}_pool`, poolSize: 2, strides: 2 });
      block += 1;
      conv = 1;
      continue;
    }
    const name = `block${block}_conv${conv}`;
    if (batchNorm) {
      x = b.conv2d(x, { name, filters: v, kernelSize: 3, padding: 'same' });
      x = b.batchNorm(x, { name: `block${block}_bn${conv}`, epsilon, momentum: TORCH_BN.momentum });
      x = b.relu(x, { name: `block${block}_relu${conv}` });
    } else {
      x = b.conv2d(x, { name, filters: v, kernelSize: 3, padding: 'same', activation: 'relu' });
    }
    conv += 1;
  }
  if (includeTop) {
    x = b.flatten(x, { name: 'flatten' });
    x = b.dense(x, { name: 'fc1', units: 4096, activation: 'relu' });
    x = b.dense(x, { name: 'fc2', units: 4096, activation: 'relu' });
    x = b.dense(x, { name: 'predictions', units: head.classes, activation: head.activation });
  } else if (pooling === 'avg') {
    x = b.globalAvgPool2d(x, { name: 'global_average_pooling2d' });
  }
  return b.build(x, {
    flavour,
    batchNorm,
    source: batchNorm ? `torchvision.models.${config}_bn with keras.applications names` : `keras.applications ${config.toUpperCase()}`,
  });
}

export const vgg11 = (o: VggOptions = {}) => vgg('vgg11', o);
export const vgg13 = (o: VggOptions = {}) => vgg('vgg13', o);
export const vgg16 = (o: VggOptions = {}) => vgg('vgg16', o);
export const vgg19 = (o: VggOptions = {}) => vgg('vgg19', o);
export const vgg11Bn = (o: Omit<VggOptions, 'batchNorm'> = {}) => vgg('vgg11', { ...o, batchNorm: true });
export const vgg13Bn = (o: Omit<VggOptions, 'batchNorm'> = {}) => vgg('vgg13', { ...o, batchNorm: true });
export const vgg16Bn = (o: Omit<VggOptions, 'batchNorm'> = {}) => vgg('vgg16', { ...o, batchNorm: true });
export const vgg19Bn = (o: Omit<VggOptions, 'batchNorm'> = {}) => vgg('vgg19', { ...o, batchNorm: true });
