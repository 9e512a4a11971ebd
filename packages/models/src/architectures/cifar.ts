// The CIFAR-10 nets of He et al. 2015, section 4.2, behind the tutorial's "deeper plain nets train worse" figure:
// depth 6n + 2 = a 3x3 conv, three stages of n blocks of two 3x3 convs (16, 32, 64 filters; 32, 16, 8 pixels),
// global average pooling and a dense classifier. plainNet has no shortcuts, cifarResnet adds them.
// Deliberate deviation: the paper's CIFAR ResNets use option A (identity shortcuts, zero-padded channels, no
// parameters) where a stage halves the size and doubles the channels. The spec has no channel-padding layer, so
// those two shortcuts are option B: a 1x1 stride-2 conv + BatchNorm (2 x (in*out + 4*out) more parameters).
// Convs have no bias (a BatchNorm follows each); BatchNorm and padding are Keras' (eps 1e-3, 'same').
import { SpecBuilder } from '../graph.js';
import type { ModelSpec, Shape3 } from '../types.js';
import { checkHead, checkInputShape, checkPositiveInt, checkPositiveNumber, type ClassifierOptions, ModelOptionError } from './common.js';

export interface CifarNetOptions extends ClassifierOptions {
  /** 6n + 2 weighted layers: 20, 32, 44, 56, 110, ... Default 20. */
  depth?: number;
  /** Only 'paper'. */
  flavour?: 'paper';
  bnEpsilon?: number;
  /** BatchNorm moving-average momentum (Keras semantics). Default 0.99 (Keras); PyTorch's default is 0.9 here. */
  bnMomentum?: number;
}

export const CIFAR_INPUT: Shape3 = [32, 32, 3];
const STAGES = [16, 32, 64] as const;

function cifarNet(model: string, residual: boolean, options: CifarNetOptions): ModelSpec {
  const depth = checkPositiveInt(model, 'depth', options.depth, 20);
  if ((depth - 2) % 6 !== 0 || depth < 8)
    throw new ModelOptionError(model, 'depth', `must be 6n + 2 with n >= 1 (8, 14, 20, 32, 44, 56, 110, ...), got ${depth}`);
  if (options.flavour !== undefined && options.flavour !== 'paper')
    throw new ModelOptionError(model, 'flavour', `must be 'paper', got ${JSON.stringify(options.flavour)}`);
  const n = (depth - 2) / 6;
  // from here on, errors name the network as the registry does (resnet20, plain56)
  const name = `${residual ? 'resnet' : 'plain'}${depth}`;
  const inputShape = checkInputShape(name, options.inputShape, CIFAR_INPUT);
  const head = checkHead(name, options, 10);
  const epsilon = checkPositiveNumber(name, 'bnEpsilon', options.bnEpsilon, 1e-3);
  const momentum = checkPositiveNumber(name, 'bnMomentum', options.bnMomentum, 0.99);
  if (momentum >= 1) throw new ModelOptionError(name, 'bnMomentum', `must be in (0, 1), got ${momentum}`);

  const b = new SpecBuilder(name);
  const convBn = (x: string, name: string, filters: number, kernelSize: number, strides: number) =>
    b.batchNorm(b.conv2d(x, { name: `${name}_conv`, filters, kernelSize, strides, padding: 'same', useBias: false }), {
      name: `${name}_bn`,
      epsilon,
      momentum,
    });
  let x = b.input(inputShape); //                                          32 x 32 x 3
  x = b.relu(convBn(x, 'stem', 16, 3, 1), { name: 'stem_relu' }); //       32 x 32 x 16
  let channels = 16;
  // stage1: 32 x 32 x 16 | stage2: 16 x 16 x 32 | stage3: 8 x 8 x 64
  STAGES.forEach((filters, s) => {
    for (let i = 1; i <= n; i++) {
      const p = `stage${s + 1}_block${i}`;
      const stride = i === 1 && s > 0 ? 2 : 1;
      let y = b.relu(convBn(x, `${p}_1`, filters, 3, stride), { name: `${p}_1_relu` });
      y = convBn(y, `${p}_2`, filters, 3, 1);
      if (residual) {
        const shortcut = stride !== 1 || channels !== filters ? convBn(x, `${p}_0`, filters, 1, stride) : x;
        y = b.add([shortcut, y], { name: `${p}_add` });
      }
      x = b.relu(y, { name: `${p}_out` });
      channels = filters;
    }
  });
  const meta = { flavour: 'paper', depth, source: `He et al. 2015, section 4.2 (CIFAR-10 ${residual ? 'ResNet' : 'plain net'}, 1x1 projection shortcuts)` };
  if (!head.includeTop) return b.build(x, meta);
  x = b.globalAvgPool2d(x, { name: 'avg_pool' }); //                        64
  x = b.dense(x, { name: 'predictions', units: head.classes, activation: head.activation });
  return b.build(x, meta);
}

/** The plain (shortcut-free) CIFAR net of depth 6n + 2. */
export const plainNet = (options: CifarNetOptions = {}) => cifarNet('plainNet', false, options);
/** The CIFAR ResNet of depth 6n + 2. */
export const cifarResnet = (options: CifarNetOptions = {}) => cifarNet('cifarResnet', true, options);
