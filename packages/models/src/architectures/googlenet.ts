// GoogLeNet (Szegedy et al. 2014) built from the Inception module, in the tutorial's flavour (its Keras CIFAR-10
// graph: plain conv + ReLU, 32x32 input resized to 224 inside the graph) and torchvision's (conv + BatchNorm).
import { SpecBuilder } from '../graph.js';
import type { ModelSpec, Shape3 } from '../types.js';
import {
  ceilModeMaxPool,
  checkBoolean,
  checkChoice,
  checkHead,
  checkInputShape,
  checkPositiveInt,
  convBnRelu,
  torchPad,
  type BnSettings,
  type ClassifierOptions,
  type Head,
  ModelOptionError,
} from './common.js';

export interface InceptionModuleOptions {
  /** Filters of the 1x1 branch. */
  f1x1: number;
  /** 1x1 reduction before the 3x3 conv, then the 3x3 conv's filters. */
  fReduce3x3: number;
  f3x3: number;
  /** 1x1 reduction before the "5x5" conv, then its filters. */
  fReduce5x5: number;
  f5x5: number;
  /** 1x1 projection after the 3x3/1 max pool. */
  fPool: number;
  /** Prefix of the layer names (`<name>_branch1`, `<name>_branch2_0`, ..., `<name>_concat`); Keras auto-names without it. */
  name?: string;
  /** Kernel of the third branch's big conv: 5 (the paper, the tutorial) or 3 (torchvision's long-standing deviation). */
  branch3Kernel?: 3 | 5;
  /** Given: each conv is torchvision's BasicConv2d (conv without bias + BatchNorm + ReLU). Absent: conv + ReLU. */
  batchNorm?: BnSettings;
}

/**
 * The Inception module: four branches (1x1; 1x1 -> 3x3; 1x1 -> 5x5; 3x3/1 max pool -> 1x1), concatenated on the
 * channel axis. The tutorial's `inception()` with its bugs fixed: every conv is given its kernel size (the tutorial's
 * Conv2D calls had none) and the 5x5 reduction's `acitivation` is spelled right, so it has its ReLU.
 * Output channels: f1x1 + f3x3 + f5x5 + fPool, spatial size unchanged ('same' padding, stride 1).
 */
export function inceptionModule(b: SpecBuilder, x: string, o: InceptionModuleOptions): string {
  const { name, batchNorm } = o;
  const named = (suffix: string) => (name === undefined ? undefined : `${name}_${suffix}`);
  if (batchNorm !== undefined && name === undefined) throw new Error(`${b.name}: inceptionModule with batchNorm needs a name for its layers`);
  const conv = (input: string, filters: number, kernelSize: number, suffix: string): string =>
    batchNorm === undefined || name === undefined
      ? b.conv2d(input, { name: named(suffix), filters, kernelSize, padding: 'same', activation: 'relu' })
      : convBnRelu(b, input, { name: `${name}_${suffix}`, filters, kernelSize, padding: 'same', bn: batchNorm });
  const k3 = o.branch3Kernel ?? 5;
  const branch1 = conv(x, o.f1x1, 1, 'branch1');
  const branch2 = conv(conv(x, o.fReduce3x3, 1, 'branch2_0'), o.f3x3, 3, 'branch2_1');
  const branch3 = conv(conv(x, o.fReduce5x5, 1, 'branch3_0'), o.f5x5, k3, 'branch3_1');
  const pool = b.maxPool2d(x, { name: named('branch4_0'), poolSize: 3, strides: 1, padding: 'same' });
  const branch4 = conv(pool, o.fPool, 1, 'branch4_1');
  return b.concat([branch1, branch2, branch3, branch4], { name: named('concat') });
}

type ModuleTable = Record<string, [number, number, number, number, number, number]>;

/** Paper Table 1 (as torchvision): #1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5, pool proj. */
export const GOOGLENET_MODULES: ModuleTable = {
  '3a': [64, 96, 128, 16, 32, 32], //     28 x 28 x 256
  '3b': [128, 128, 192, 32, 96, 64], //   28 x 28 x 480
  '4a': [192, 96, 208, 16, 48, 64], //    14 x 14 x 512
  '4b': [160, 112, 224, 24, 64, 64], //   14 x 14 x 512
  '4c': [128, 128, 256, 24, 64, 64], //   14 x 14 x 512
  '4d': [112, 144, 288, 32, 64, 64], //   14 x 14 x 528
  '4e': [256, 160, 320, 32, 128, 128], // 14 x 14 x 832
  '5a': [256, 160, 320, 32, 128, 128], // 7 x 7 x 832
  '5b': [384, 192, 384, 48, 128, 128], // 7 x 7 x 1024
};
/** The tutorial's table: as the paper except 3b, whose 5x5 and pool branches it gives 32 and 32 (paper: 96, 64). */
export const TUTORIAL_GOOGLENET_MODULES: ModuleTable = { ...GOOGLENET_MODULES, '3b': [128, 128, 192, 32, 32, 32] };

export const GOOGLENET_FLAVOURS = ['tutorial', 'torchvision'] as const;
export type GoogLeNetFlavour = (typeof GOOGLENET_FLAVOURS)[number];

export interface GoogLeNetOptions extends ClassifierOptions {
  /** 'tutorial' (default; 32x32x3 input, 10 classes) or 'torchvision' (224x224x3, 1000 classes). */
  flavour?: GoogLeNetFlavour;
  /** Auxiliary classifiers after 4a and 4d as extra outputs [main, aux1, aux2]. Default: tutorial true (with the top), torchvision false. */
  aux?: boolean;
  /**
   * Tutorial flavour: an input smaller than this is resized (bilinear) to it inside the graph, as the tutorial resizes
   * CIFAR-10's 32x32 to 224. false: no resizing (the input must then be large enough, see minInputShape). Default 224.
   */
  resizeTo?: number | false;
}

const moduleArgs = (t: ModuleTable, key: string) => {
  const [f1x1, fReduce3x3, f3x3, fReduce5x5, f5x5, fPool] = t[key]!;
  return { f1x1, fReduce3x3, f3x3, fReduce5x5, f5x5, fPool, name: `inception${key}` };
};

export function googlenet(options: GoogLeNetOptions = {}): ModelSpec {
  const flavour = checkChoice('googlenet', 'flavour', options.flavour, GOOGLENET_FLAVOURS, 'tutorial');
  const tutorial = flavour === 'tutorial';
  const inputShape = checkInputShape('googlenet', options.inputShape, tutorial ? [32, 32, 3] : [224, 224, 3]);
  const head = checkHead('googlenet', options, tutorial ? 10 : 1000);
  // The aux heads are classifiers too: without the top there are none.
  if (!head.includeTop && options.aux === true) throw new ModelOptionError('googlenet', 'aux', 'applies only with includeTop: true');
  const aux = checkBoolean('googlenet', 'aux', options.aux, tutorial && head.includeTop);
  if (!tutorial && options.resizeTo !== undefined) throw new ModelOptionError('googlenet', 'resizeTo', 'applies to the tutorial flavour only');
  const resizeTo = options.resizeTo === false ? false : checkPositiveInt('googlenet', 'resizeTo', options.resizeTo, 224);
  return tutorial ? tutorialGoogLeNet(inputShape, head, aux, resizeTo) : torchvisionGoogLeNet(inputShape, head, aux);
}

/**
 * The tutorial's Keras graph. Deliberate differences from the tutorial's code: the module bugs above; the aux heads sit
 * after 4a and 4d as in the paper and torchvision (the tutorial taps 3b's pool, 4b and 4e, and returns only two of
 * its three heads). Kept as the tutorial wrote it: its stem has no 3x3x192 conv and uses 'valid' max pools, and its
 * 3b table differs from the paper (TUTORIAL_GOOGLENET_MODULES). Shapes below are at 224x224 after resizing.
 */
function tutorialGoogLeNet(inputShape: Shape3, head: Head, aux: boolean, resizeTo: number | false): ModelSpec {
  const b = new SpecBuilder('googlenet');
  let x = b.input(inputShape); //                                                                   32 x 32 x 3
  if (resizeTo !== false && (inputShape[0] < resizeTo || inputShape[1] < resizeTo)) {
    x = b.resize(x, { size: [resizeTo, resizeTo], method: 'bilinear' }); //                         224 x 224 x 3
  }
  x = b.conv2d(x, { filters: 64, kernelSize: 7, strides: 2, padding: 'same', activation: 'relu' }); // 112 x 112 x 64
  x = b.maxPool2d(x, { poolSize: 3, strides: 2 }); //                                                55 x 55 x 64
  x = b.conv2d(x, { filters: 64, kernelSize: 1, padding: 'same', activation: 'relu' });
  x = b.maxPool2d(x, { poolSize: 3, strides: 2 }); //                                                27 x 27 x 64
  const heads: string[] = [];
  const auxHead = (input: string, n: number) => {
    let a = b.avgPool2d(input, { name: `aux${n}_pool`, poolSize: 5, strides: 3 }); //                 3 x 3 x 512|528
    a = b.conv2d(a, { name: `aux${n}_conv`, filters: 128, kernelSize: 1, padding: 'same', activation: 'relu' });
    a = b.flatten(a, { name: `aux${n}_flatten` }); //                                                1152
    a = b.dense(a, { name: `aux${n}_fc1`, units: 1024, activation: 'relu' });
    a = b.dropout(a, { name: `aux${n}_dropout`, rate: 0.7 });
    heads.push(b.dense(a, { name: `aux${n}_fc2`, units: head.classes, activation: head.activation }));
  };
  const t = TUTORIAL_GOOGLENET_MODULES;
  x = inceptionModule(b, x, moduleArgs(t, '3a')); //                                                 27 x 27 x 256
  x = inceptionModule(b, x, moduleArgs(t, '3b')); //                                                 27 x 27 x 384
  x = b.maxPool2d(x, { poolSize: 3, strides: 2 }); //                                                13 x 13 x 384
  x = inceptionModule(b, x, moduleArgs(t, '4a')); //                                                 13 x 13 x 512
  if (aux) auxHead(x, 1);
  for (const key of ['4b', '4c', '4d']) x = inceptionModule(b, x, moduleArgs(t, key));
  if (aux) auxHead(x, 2); //                                                                         13 x 13 x 528
  x = inceptionModule(b, x, moduleArgs(t, '4e')); //                                                 13 x 13 x 832
  x = b.maxPool2d(x, { poolSize: 3, strides: 2 }); //                                                6 x 6 x 832
  x = inceptionModule(b, x, moduleArgs(t, '5a'));
  x = inceptionModule(b, x, moduleArgs(t, '5b')); //                                                 6 x 6 x 1024
  const meta = { flavour: 'tutorial', aux, resizeTo, source: 'tutorial (Keras GoogLeNet for CIFAR-10)' };
  if (!head.includeTop) return b.build(x, meta);
  x = b.globalAvgPool2d(x); //                                                                      1024
  x = b.dropout(x, { rate: 0.4 });
  x = b.dense(x, { units: head.classes, activation: head.activation });
  return b.build([x, ...heads], meta);
}

/**
 * torchvision.models.googlenet. Names are torchvision's module paths with '.' -> '_' (conv1_conv is
 * `conv1.conv`, inception3a_branch2_1_bn is `inception3a.branch2.1.bn`). Deliberate deviations, documented as
 * torchvision documents its own: the third branch uses 3x3 where the paper says 5x5 (torchvision's known
 * deviation, kept so its weights fit); no LRN (torchvision has none either: BatchNorm replaced it); BatchNorm
 * eps 1e-3; ceil_mode max pools are written as explicit bottom/right padding; the aux heads pool with the
 * paper's 5x5/3 average pool (torchvision's adaptive 4x4 pool has irregular windows; both give 4x4 at 224).
 */
function torchvisionGoogLeNet(inputShape: Shape3, head: Head, aux: boolean): ModelSpec {
  const bn: BnSettings = { epsilon: 1e-3, momentum: 0.9 };
  const b = new SpecBuilder('googlenet');
  let x = b.input(inputShape); //                                                                    224 x 224 x 3
  x = convBnRelu(b, x, { name: 'conv1', filters: 64, kernelSize: 7, strides: 2, padding: torchPad(3), bn }); // 112 x 112 x 64
  x = ceilModeMaxPool(b, x, { name: 'maxpool1', poolSize: 3, strides: 2 }); //                     56 x 56 x 64
  x = convBnRelu(b, x, { name: 'conv2', filters: 64, kernelSize: 1, bn });
  x = convBnRelu(b, x, { name: 'conv3', filters: 192, kernelSize: 3, padding: torchPad(1), bn }); // 56 x 56 x 192
  x = ceilModeMaxPool(b, x, { name: 'maxpool2', poolSize: 3, strides: 2 }); //                     28 x 28 x 192
  const module = (input: string, key: string) => inceptionModule(b, input, { ...moduleArgs(GOOGLENET_MODULES, key), branch3Kernel: 3, batchNorm: bn });
  const heads: string[] = [];
  const auxHead = (input: string, n: number) => {
    let a = b.avgPool2d(input, { name: `aux${n}_pool`, poolSize: 5, strides: 3 }); //                  4 x 4 x 512|528
    a = convBnRelu(b, a, { name: `aux${n}_conv`, filters: 128, kernelSize: 1, bn }); //               4 x 4 x 128
    a = b.flatten(a, { name: `aux${n}_flatten` }); //                                                 2048
    a = b.dense(a, { name: `aux${n}_fc1`, units: 1024, activation: 'relu' });
    a = b.dropout(a, { name: `aux${n}_dropout`, rate: 0.7 });
    heads.push(b.dense(a, { name: `aux${n}_fc2`, units: head.classes, activation: head.activation }));
  };
  x = module(x, '3a'); //                                                                          28 x 28 x 256
  x = module(x, '3b'); //                                                                          28 x 28 x 480
  x = ceilModeMaxPool(b, x, { name: 'maxpool3', poolSize: 3, strides: 2 }); //                     14 x 14 x 480
  x = module(x, '4a'); //                                                                          14 x 14 x 512
  if (aux) auxHead(x, 1);
  for (const key of ['4b', '4c', '4d']) x = module(x, key); //                                      14 x 14 x 528
  if (aux) auxHead(x, 2);
  x = module(x, '4e'); //                                                                          14 x 14 x 832
  x = ceilModeMaxPool(b, x, { name: 'maxpool4', poolSize: 2, strides: 2 }); //                     7 x 7 x 832
  x = module(x, '5a');
  x = module(x, '5b'); //                                                                          7 x 7 x 1024
  const meta = { flavour: 'torchvision', aux, source: 'torchvision.models.googlenet' };
  if (!head.includeTop) return b.build(x, meta);
  x = b.globalAvgPool2d(x, { name: 'avgpool' }); //                                                1024
  x = b.dropout(x, { name: 'dropout', rate: 0.2 });
  x = b.dense(x, { name: 'fc', units: head.classes, activation: head.activation });
  return b.build([x, ...heads], meta);
}
