// Inception-v3 (Szegedy et al. 2015, "Rethinking the Inception Architecture") as torchvision builds it: every
// conv is BasicConv2d (conv without bias + BatchNorm eps 1e-3 + ReLU), and the modules use the factorisations the
// tutorial describes: a 5x5 as two 3x3 (InceptionA's 3x3dbl branch), n x n as 1 x n then n x 1 with n = 7
// (InceptionC, D), and 3x3 split into parallel 1x3 and 3x1 (InceptionE).
// Names are torchvision's module paths with '.' -> '_' (Mixed_5b_branch5x5_2_conv is `Mixed_5b.branch5x5_2.conv`).
// Deliberate deviation in form, not in function: PyTorch's avg_pool2d(3, stride 1, padding 1) counts the zero
// padding in its average (count_include_pad), which TensorFlow's 'same' pooling does not; it is written as a
// zeroPad2d + 'valid' avgPool2d so every engine computes torchvision's numbers.
import { SpecBuilder } from '../graph.js';
import type { ModelSpec, Shape3 } from '../types.js';
import {
  checkBoolean,
  checkChoice,
  checkHead,
  checkInputShape,
  convBnRelu,
  ModelOptionError,
  torchPad,
  type BnSettings,
  type ClassifierOptions,
} from './common.js';

const BN: BnSettings = { epsilon: 1e-3, momentum: 0.9 };

/** One BasicConv2d: `kernel` is a number or [kh, kw]; `pad` is PyTorch's symmetric padding [ph, pw]. */
function basic(
  b: SpecBuilder,
  x: string,
  name: string,
  filters: number,
  kernel: number | [number, number],
  o: { strides?: number; pad?: [number, number] } = {},
): string {
  const padding = o.pad ? torchPad(o.pad[0], o.pad[1]) : 'valid';
  return convBnRelu(b, x, { name, filters, kernelSize: kernel, strides: o.strides ?? 1, padding, bn: BN });
}

/** avg_pool2d(3, stride=1, padding=1) with PyTorch's count_include_pad=True. */
function avgPool3x3(b: SpecBuilder, x: string, name: string): string {
  const padded = b.zeroPad2d(x, { name: `${name}_pad`, padding: 1 });
  return b.avgPool2d(padded, { name: `${name}_avgpool`, poolSize: 3, strides: 1 });
}

/** InceptionA: 1x1 | 1x1 -> 5x5 | 1x1 -> 3x3 -> 3x3 | avgpool -> 1x1. Out: 224 + poolFeatures channels. */
function inceptionA(b: SpecBuilder, x: string, name: string, poolFeatures: number): string {
  const b1 = basic(b, x, `${name}_branch1x1`, 64, 1);
  let b5 = basic(b, x, `${name}_branch5x5_1`, 48, 1);
  b5 = basic(b, b5, `${name}_branch5x5_2`, 64, 5, { pad: [2, 2] });
  let b3 = basic(b, x, `${name}_branch3x3dbl_1`, 64, 1);
  b3 = basic(b, b3, `${name}_branch3x3dbl_2`, 96, 3, { pad: [1, 1] });
  b3 = basic(b, b3, `${name}_branch3x3dbl_3`, 96, 3, { pad: [1, 1] });
  const bp = basic(b, avgPool3x3(b, x, `${name}_branch_pool`), `${name}_branch_pool`, poolFeatures, 1);
  return b.concat([b1, b5, b3, bp], { name: `${name}_concat` });
}

/** InceptionB (grid reduction 35 -> 17): 3x3/2 | 1x1 -> 3x3 -> 3x3/2 | maxpool 3x3/2. Out: 384 + 96 + in. */
function inceptionB(b: SpecBuilder, x: string, name: string): string {
  const b3 = basic(b, x, `${name}_branch3x3`, 384, 3, { strides: 2 });
  let bd = basic(b, x, `${name}_branch3x3dbl_1`, 64, 1);
  bd = basic(b, bd, `${name}_branch3x3dbl_2`, 96, 3, { pad: [1, 1] });
  bd = basic(b, bd, `${name}_branch3x3dbl_3`, 96, 3, { strides: 2 });
  const bp = b.maxPool2d(x, { name: `${name}_branch_pool`, poolSize: 3, strides: 2 });
  return b.concat([b3, bd, bp], { name: `${name}_concat` });
}

/** InceptionC (17x17, n = 7): 1x1 | 1x1 -> 1x7 -> 7x1 | 1x1 -> 7x1 -> 1x7 -> 7x1 -> 1x7 | avgpool -> 1x1. Out: 768. */
function inceptionC(b: SpecBuilder, x: string, name: string, c7: number): string {
  const b1 = basic(b, x, `${name}_branch1x1`, 192, 1);
  let b7 = basic(b, x, `${name}_branch7x7_1`, c7, 1);
  b7 = basic(b, b7, `${name}_branch7x7_2`, c7, [1, 7], { pad: [0, 3] });
  b7 = basic(b, b7, `${name}_branch7x7_3`, 192, [7, 1], { pad: [3, 0] });
  let bd = basic(b, x, `${name}_branch7x7dbl_1`, c7, 1);
  bd = basic(b, bd, `${name}_branch7x7dbl_2`, c7, [7, 1], { pad: [3, 0] });
  bd = basic(b, bd, `${name}_branch7x7dbl_3`, c7, [1, 7], { pad: [0, 3] });
  bd = basic(b, bd, `${name}_branch7x7dbl_4`, c7, [7, 1], { pad: [3, 0] });
  bd = basic(b, bd, `${name}_branch7x7dbl_5`, 192, [1, 7], { pad: [0, 3] });
  const bp = basic(b, avgPool3x3(b, x, `${name}_branch_pool`), `${name}_branch_pool`, 192, 1);
  return b.concat([b1, b7, bd, bp], { name: `${name}_concat` });
}

/** InceptionD (grid reduction 17 -> 8): 1x1 -> 3x3/2 | 1x1 -> 1x7 -> 7x1 -> 3x3/2 | maxpool 3x3/2. Out: 512 + in. */
function inceptionD(b: SpecBuilder, x: string, name: string): string {
  let b3 = basic(b, x, `${name}_branch3x3_1`, 192, 1);
  b3 = basic(b, b3, `${name}_branch3x3_2`, 320, 3, { strides: 2 });
  let b7 = basic(b, x, `${name}_branch7x7x3_1`, 192, 1);
  b7 = basic(b, b7, `${name}_branch7x7x3_2`, 192, [1, 7], { pad: [0, 3] });
  b7 = basic(b, b7, `${name}_branch7x7x3_3`, 192, [7, 1], { pad: [3, 0] });
  b7 = basic(b, b7, `${name}_branch7x7x3_4`, 192, 3, { strides: 2 });
  const bp = b.maxPool2d(x, { name: `${name}_branch_pool`, poolSize: 3, strides: 2 });
  return b.concat([b3, b7, bp], { name: `${name}_concat` });
}

/** InceptionE (8x8): 1x1 | 1x1 -> (1x3 ‖ 3x1) | 1x1 -> 3x3 -> (1x3 ‖ 3x1) | avgpool -> 1x1. Out: 2048. */
function inceptionE(b: SpecBuilder, x: string, name: string): string {
  const b1 = basic(b, x, `${name}_branch1x1`, 320, 1);
  const b3 = basic(b, x, `${name}_branch3x3_1`, 384, 1);
  const b3a = basic(b, b3, `${name}_branch3x3_2a`, 384, [1, 3], { pad: [0, 1] });
  const b3b = basic(b, b3, `${name}_branch3x3_2b`, 384, [3, 1], { pad: [1, 0] });
  const b3cat = b.concat([b3a, b3b], { name: `${name}_branch3x3_concat` });
  let bd = basic(b, x, `${name}_branch3x3dbl_1`, 448, 1);
  bd = basic(b, bd, `${name}_branch3x3dbl_2`, 384, 3, { pad: [1, 1] });
  const bda = basic(b, bd, `${name}_branch3x3dbl_3a`, 384, [1, 3], { pad: [0, 1] });
  const bdb = basic(b, bd, `${name}_branch3x3dbl_3b`, 384, [3, 1], { pad: [1, 0] });
  const bdcat = b.concat([bda, bdb], { name: `${name}_branch3x3dbl_concat` });
  const bp = basic(b, avgPool3x3(b, x, `${name}_branch_pool`), `${name}_branch_pool`, 192, 1);
  return b.concat([b1, b3cat, bdcat, bp], { name: `${name}_concat` });
}

export interface InceptionV3Options extends ClassifierOptions {
  /** Only 'torchvision'. */
  flavour?: 'torchvision';
  /** torchvision's InceptionAux after Mixed_6e as a second output [main, aux]. Default false. */
  aux?: boolean;
}

export const INCEPTION_V3_INPUT: Shape3 = [299, 299, 3];

export function inceptionV3(options: InceptionV3Options = {}): ModelSpec {
  const flavour = checkChoice('inception_v3', 'flavour', options.flavour, ['torchvision'], 'torchvision');
  const inputShape = checkInputShape('inception_v3', options.inputShape, INCEPTION_V3_INPUT);
  const head = checkHead('inception_v3', options, 1000);
  const aux = checkBoolean('inception_v3', 'aux', options.aux, false);
  if (aux && !head.includeTop) throw new ModelOptionError('inception_v3', 'aux', 'applies only with includeTop: true');

  const b = new SpecBuilder('inception_v3');
  let x = b.input(inputShape); //                                                 299 x 299 x 3
  x = basic(b, x, 'Conv2d_1a_3x3', 32, 3, { strides: 2 }); //                      149 x 149 x 32
  x = basic(b, x, 'Conv2d_2a_3x3', 32, 3); //                                      147 x 147 x 32
  x = basic(b, x, 'Conv2d_2b_3x3', 64, 3, { pad: [1, 1] }); //                      147 x 147 x 64
  x = b.maxPool2d(x, { name: 'maxpool1', poolSize: 3, strides: 2 }); //            73 x 73 x 64
  x = basic(b, x, 'Conv2d_3b_1x1', 80, 1); //                                      73 x 73 x 80
  x = basic(b, x, 'Conv2d_4a_3x3', 192, 3); //                                     71 x 71 x 192
  x = b.maxPool2d(x, { name: 'maxpool2', poolSize: 3, strides: 2 }); //            35 x 35 x 192
  x = inceptionA(b, x, 'Mixed_5b', 32); //                                         35 x 35 x 256
  x = inceptionA(b, x, 'Mixed_5c', 64); //                                         35 x 35 x 288
  x = inceptionA(b, x, 'Mixed_5d', 64); //                                         35 x 35 x 288
  x = inceptionB(b, x, 'Mixed_6a'); //                                             17 x 17 x 768
  x = inceptionC(b, x, 'Mixed_6b', 128);
  x = inceptionC(b, x, 'Mixed_6c', 160);
  x = inceptionC(b, x, 'Mixed_6d', 160);
  x = inceptionC(b, x, 'Mixed_6e', 192); //                                        17 x 17 x 768
  let auxOut: string | undefined;
  if (aux) {
    // InceptionAux: avg_pool 5/3 (17 -> 5), 1x1 128, 5x5 768 (5 -> 1), adaptive average pool, fc.
    let a = b.avgPool2d(x, { name: 'AuxLogits_pool', poolSize: 5, strides: 3 }); // 5 x 5 x 768
    a = basic(b, a, 'AuxLogits_conv0', 128, 1);
    a = basic(b, a, 'AuxLogits_conv1', 768, 5); //                                   1 x 1 x 768
    a = b.globalAvgPool2d(a, { name: 'AuxLogits_avgpool' });
    auxOut = b.dense(a, { name: 'AuxLogits_fc', units: head.classes, activation: head.activation });
  }
  x = inceptionD(b, x, 'Mixed_7a'); //                                             8 x 8 x 1280
  x = inceptionE(b, x, 'Mixed_7b'); //                                             8 x 8 x 2048
  x = inceptionE(b, x, 'Mixed_7c'); //                                             8 x 8 x 2048
  const meta = { flavour, aux, source: 'torchvision.models.inception_v3' };
  if (!head.includeTop) return b.build(x, meta);
  x = b.globalAvgPool2d(x, { name: 'avgpool' }); //                                 2048
  x = b.dropout(x, { name: 'dropout', rate: 0.5 });
  x = b.dense(x, { name: 'fc', units: head.classes, activation: head.activation });
  return b.build(auxOut === undefined ? x : [x, auxOut], meta);
}
