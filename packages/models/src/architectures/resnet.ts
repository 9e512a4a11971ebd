// ImageNet ResNets (He et al. 2015) as data: { block, layers } per depth, one builder, two flavours.
// - 'keras': keras.applications ResNet50/101/152 (Keras >= 2.3) layer for layer and name for name: conv bias,
//   BN epsilon 1.001e-5, stride on the bottleneck's first 1x1 (v1), ZeroPadding layers before the 7x7 conv and
//   the max pool. Keras ships no ResNet18/34: their keras flavour is the same recipe with basic blocks
//   (conv2_block1_1_conv 3x3, _2_conv 3x3, a _0_ projection only where the shape changes) - an extrapolation.
// - 'torchvision': torchvision.models.resnet*: no conv bias, BN eps 1e-5, stride on the bottleneck's 3x3 (v1.5),
//   PyTorch's symmetric padding (explicit), names are module paths with '.' -> '_' (layer1_0_downsample_0).
// Both end in a softmax by default (Keras' classifier_activation); torchvision's fc gives logits:
// pass classifierActivation: 'linear' for those.
import { SpecBuilder } from '../graph.js';
import type { ModelSpec, Shape3 } from '../types.js';
import {
  TORCH_BN,
  checkBoolean,
  checkChoice,
  checkHead,
  checkInputShape,
  checkPositiveNumber,
  torchPad,
  type BnSettings,
  type ClassifierOptions,
  ModelOptionError,
} from './common.js';

export type ResNetBlock = 'basic' | 'bottleneck';

/** He et al. 2015, Table 1: block type and blocks per stage (conv2_x .. conv5_x). */
export const RESNET_CONFIGS = {
  resnet18: { block: 'basic', layers: [2, 2, 2, 2] },
  resnet34: { block: 'basic', layers: [3, 4, 6, 3] },
  resnet50: { block: 'bottleneck', layers: [3, 4, 6, 3] },
  resnet101: { block: 'bottleneck', layers: [3, 4, 23, 3] },
  resnet152: { block: 'bottleneck', layers: [3, 8, 36, 3] },
} as const satisfies Record<string, { block: ResNetBlock; layers: readonly [number, number, number, number] }>;
export type ResNetName = keyof typeof RESNET_CONFIGS;

/** Filters of each stage's 3x3 convs; bottleneck blocks output 4x as many. */
const STAGE_FILTERS = [64, 128, 256, 512] as const;
const EXPANSION: Record<ResNetBlock, number> = { basic: 1, bottleneck: 4 };

export const RESNET_FLAVOURS = ['keras', 'torchvision'] as const;
export type ResNetFlavour = (typeof RESNET_FLAVOURS)[number];

export interface ResNetOptions extends ClassifierOptions {
  /** Default: 'keras' for resnet50/101/152 (the ones keras.applications has), 'torchvision' for resnet18/34. */
  flavour?: ResNetFlavour;
  /** With includeTop false: 'avg' ends with the global average pool ('avg_pool' / 'avgpool'). */
  pooling?: 'avg';
  /** BatchNorm epsilon. Default: keras 1.001e-5 (Keras 2.2.4's weights used 1e-3), torchvision 1e-5. */
  bnEpsilon?: number;
}

export const RESNET_INPUT: Shape3 = [224, 224, 3];

export const defaultResNetFlavour = (name: ResNetName): ResNetFlavour => (RESNET_CONFIGS[name].block === 'bottleneck' ? 'keras' : 'torchvision');

export function resnet(name: ResNetName, options: ResNetOptions = {}): ModelSpec {
  const config = RESNET_CONFIGS[name];
  if (config === undefined) throw new Error(`resnet: unknown configuration '${String(name)}'; known: ${Object.keys(RESNET_CONFIGS).join(', ')}`);
  const flavour = checkChoice(name, 'flavour', options.flavour, RESNET_FLAVOURS, defaultResNetFlavour(name));
  const inputShape = checkInputShape(name, options.inputShape, RESNET_INPUT);
  const head = checkHead(name, options, 1000);
  const includeTop = head.includeTop;
  const pooling = options.pooling === undefined ? undefined : checkChoice(name, 'pooling', options.pooling, ['avg'], 'avg');
  if (includeTop && pooling !== undefined) throw new ModelOptionError(name, 'pooling', 'applies only with includeTop: false');
  const bn: BnSettings =
    flavour === 'keras'
      ? { epsilon: checkPositiveNumber(name, 'bnEpsilon', options.bnEpsilon, 1.001e-5), momentum: 0.99 }
      : { epsilon: checkPositiveNumber(name, 'bnEpsilon', options.bnEpsilon, TORCH_BN.epsilon), momentum: TORCH_BN.momentum };

  const b = new SpecBuilder(name);
  let x = b.input(inputShape);
  const build = flavour === 'keras' ? kerasGraph : torchvisionGraph;
  x = build(b, x, config.block, config.layers, bn);
  const pool = flavour === 'keras' ? 'avg_pool' : 'avgpool';
  if (includeTop) {
    x = b.globalAvgPool2d(x, { name: pool }); //                                        2048 (bottleneck) | 512 (basic)
    x = b.dense(x, { name: flavour === 'keras' ? 'predictions' : 'fc', units: head.classes, activation: head.activation });
  } else if (pooling === 'avg') {
    x = b.globalAvgPool2d(x, { name: pool });
  }
  return b.build(x, {
    flavour,
    block: config.block,
    bnEpsilon: bn.epsilon,
    source: flavour === 'keras' ? `keras.applications ${name} (Keras >= 2.3 names)` : `torchvision.models.${name}`,
  });
}

/** keras.applications' ResNet: stem, then stack1(64, stride 1), stack1(128), stack1(256), stack1(512). */
function kerasGraph(b: SpecBuilder, input: string, block: ResNetBlock, layers: readonly number[], bn: BnSettings): string {
  let x = b.zeroPad2d(input, { name: 'conv1_pad', padding: 3 }); //                      230 x 230 x 3
  x = b.conv2d(x, { name: 'conv1_conv', filters: 64, kernelSize: 7, strides: 2 }); //   112 x 112 x 64
  x = b.batchNorm(x, { name: 'conv1_bn', ...bn });
  x = b.relu(x, { name: 'conv1_relu' });
  x = b.zeroPad2d(x, { name: 'pool1_pad', padding: 1 }); //                              114 x 114 x 64
  x = b.maxPool2d(x, { name: 'pool1_pool', poolSize: 3, strides: 2 }); //                56 x 56 x 64
  let channels = 64;
  // conv2: 56 x 56 x 256 | conv3: 28 x 28 x 512 | conv4: 14 x 14 x 1024 | conv5: 7 x 7 x 2048 (bottleneck at 224)
  layers.forEach((blocks, s) => {
    const filters = STAGE_FILTERS[s]!;
    const out = filters * EXPANSION[block];
    for (let i = 1; i <= blocks; i++) {
      const p = `conv${s + 2}_block${i}`;
      const stride = i === 1 && s > 0 ? 2 : 1;
      // keras' stack1 gives every stage's first bottleneck a projection (even conv2's, stride 1: 64 -> 256).
      const project = i === 1 && (block === 'bottleneck' || stride !== 1 || channels !== out);
      // Layers are appended in Keras' own order (model.layers sorts by depth: the projection shortcut comes
      // right before the main path's last conv, its BN before the last BN), so summaries and weight lists
      // read exactly as Keras' do.
      const projectConv = () => b.conv2d(x, { name: `${p}_0_conv`, filters: out, kernelSize: 1, strides: stride });
      let shortcut = x;
      let y: string;
      if (block === 'bottleneck') {
        y = b.conv2d(x, { name: `${p}_1_conv`, filters, kernelSize: 1, strides: stride });
        y = b.relu(b.batchNorm(y, { name: `${p}_1_bn`, ...bn }), { name: `${p}_1_relu` });
        y = b.conv2d(y, { name: `${p}_2_conv`, filters, kernelSize: 3, padding: 'same' });
        y = b.relu(b.batchNorm(y, { name: `${p}_2_bn`, ...bn }), { name: `${p}_2_relu` });
        if (project) shortcut = projectConv();
        y = b.conv2d(y, { name: `${p}_3_conv`, filters: out, kernelSize: 1 });
        if (project) shortcut = b.batchNorm(shortcut, { name: `${p}_0_bn`, ...bn });
        y = b.batchNorm(y, { name: `${p}_3_bn`, ...bn });
      } else {
        y = b.conv2d(x, { name: `${p}_1_conv`, filters, kernelSize: 3, strides: stride, padding: 'same' });
        y = b.relu(b.batchNorm(y, { name: `${p}_1_bn`, ...bn }), { name: `${p}_1_relu` });
        if (project) shortcut = projectConv();
        y = b.conv2d(y, { name: `${p}_2_conv`, filters, kernelSize: 3, padding: 'same' });
        if (project) shortcut = b.batchNorm(shortcut, { name: `${p}_0_bn`, ...bn });
        y = b.batchNorm(y, { name: `${p}_2_bn`, ...bn });
      }
      x = b.relu(b.add([shortcut, y], { name: `${p}_add` }), { name: `${p}_out` });
      channels = out;
    }
  });
  return x;
}

/** torchvision's ResNet: conv1/bn1/relu/maxpool, layer1..layer4 of BasicBlock or Bottleneck (v1.5). */
function torchvisionGraph(b: SpecBuilder, input: string, block: ResNetBlock, layers: readonly number[], bn: BnSettings): string {
  let x = b.conv2d(input, { name: 'conv1', filters: 64, kernelSize: 7, strides: 2, padding: torchPad(3), useBias: false }); // 112 x 112 x 64
  x = b.relu(b.batchNorm(x, { name: 'bn1', ...bn }), { name: 'relu' });
  // MaxPool2d(3, 2, padding=1): its padding never wins the max (PyTorch pads with -inf; after ReLU, 0 is the same).
  x = b.maxPool2d(x, { name: 'maxpool', poolSize: 3, strides: 2, padding: torchPad(1) }); //                      56 x 56 x 64
  let channels = 64;
  // layer1: 56 x 56 x 256 | layer2: 28 x 28 x 512 | layer3: 14 x 14 x 1024 | layer4: 7 x 7 x 2048 (bottleneck at 224)
  layers.forEach((blocks, s) => {
    const filters = STAGE_FILTERS[s]!;
    const out = filters * EXPANSION[block];
    for (let i = 0; i < blocks; i++) {
      const p = `layer${s + 1}_${i}`;
      const stride = i === 0 && s > 0 ? 2 : 1;
      const conv = (from: string, n: number, f: number, k: number, st = 1) =>
        b.conv2d(from, { name: `${p}_conv${n}`, filters: f, kernelSize: k, strides: st, padding: torchPad((k - 1) / 2), useBias: false });
      let y: string;
      if (block === 'bottleneck') {
        y = b.relu(b.batchNorm(conv(x, 1, filters, 1), { name: `${p}_bn1`, ...bn }), { name: `${p}_relu1` });
        y = b.relu(b.batchNorm(conv(y, 2, filters, 3, stride), { name: `${p}_bn2`, ...bn }), { name: `${p}_relu2` });
        y = b.batchNorm(conv(y, 3, out, 1), { name: `${p}_bn3`, ...bn });
      } else {
        y = b.relu(b.batchNorm(conv(x, 1, filters, 3, stride), { name: `${p}_bn1`, ...bn }), { name: `${p}_relu1` });
        y = b.batchNorm(conv(y, 2, filters, 3), { name: `${p}_bn2`, ...bn });
      }
      let shortcut = x;
      if (stride !== 1 || channels !== out) {
        shortcut = b.conv2d(x, { name: `${p}_downsample_0`, filters: out, kernelSize: 1, strides: stride, useBias: false });
        shortcut = b.batchNorm(shortcut, { name: `${p}_downsample_1`, ...bn });
      }
      x = b.relu(b.add([y, shortcut], { name: `${p}_add` }), { name: `${p}_relu` });
      channels = out;
    }
  });
  return x;
}

export const resnet18 = (o: ResNetOptions = {}) => resnet('resnet18', o);
export const resnet34 = (o: ResNetOptions = {}) => resnet('resnet34', o);
export const resnet50 = (o: ResNetOptions = {}) => resnet('resnet50', o);
export const resnet101 = (o: ResNetOptions = {}) => resnet('resnet101', o);
export const resnet152 = (o: ResNetOptions = {}) => resnet('resnet152', o);
