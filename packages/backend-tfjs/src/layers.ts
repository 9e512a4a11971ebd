// One tfjs-core op sequence per layer kind (the FORWARD table below), Keras semantics, NHWC. Written to need only
// kernels every tfjs backend has (and their gradients): explicit paddings (compileSpec's resolved pads) become tf.pad
// + 'valid', grouped convs become per-group convs, LRN a banded matmul, avg pooling over padding a valid pool times a
// per-cell correction.
import type * as tfc from '@tensorflow/tfjs-core';
import {
  dispatchKind,
  type KindTable,
  type ActivationName,
  type CompiledLayer,
  type Conv2DLayer,
  type Layer,
  type LrnLayer,
  type Pool2DLayer,
  type WindowPads,
} from '@convzoo/models';
import type { TF } from './engine.js';

type T = tfc.Tensor;
type T4 = tfc.Tensor4D;

export interface LayerContext {
  tf: TF;
  training: boolean;
  /** Parameters by canonical name. */
  param(name: string): T;
  /** Seed for this layer's randomness in this call (dropout). */
  seed(layer: string): number;
  /** BatchNorm moving-statistic updates produced by a training forward pass. */
  update(name: string, value: T): void;
}

export function activate(tf: TF, x: T, a: ActivationName): T {
  switch (a) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'softmax':
      return tf.softmax(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'tanh':
      return tf.tanh(x);
    case 'relu6':
      return tf.relu6(x);
  }
}

const padBox = (h: [number, number], w: [number, number]): Array<[number, number]> => [[0, 0], h, w, [0, 0]];

/** The window's pads as resolved ONCE by compileSpec (conv2d and pooling always have them). */
function padsOf(c: CompiledLayer): WindowPads {
  if (!c.pads) throw new Error(`internal: layer '${c.layer.name}' (${c.layer.kind}) has no resolved pads`);
  return c.pads;
}
const boxOf = (p: WindowPads) => padBox([p.top, p.bottom], [p.left, p.right]);
const isZero = (p: WindowPads) => p.top + p.bottom + p.left + p.right === 0;

function conv(tf: TF, layer: Conv2DLayer, pads: WindowPads, x: T4, kernel: tfc.Tensor4D): T4 {
  const strides = layer.strides;
  const [dh, dw] = layer.dilation;
  const dilated = dh > 1 || dw > 1;
  const strided = strides[0] > 1 || strides[1] > 1;
  // tfjs' own 'same' is TensorFlow's, so let the kernel pad (no extra tensor), except where tfjs refuses stride and
  // dilation together.
  if (layer.padding === 'same' && !(dilated && strided)) return tf.conv2d(x, kernel, strides, 'same', 'NHWC', [dh, dw]);
  const padded = isZero(pads) ? x : tf.pad(x, boxOf(pads));
  if (!(dilated && strided)) return tf.conv2d(padded, kernel, strides, 'valid', 'NHWC', [dh, dw]);
  // Stride and dilation together: run it dense, then subsample.
  const dense = tf.conv2d(padded, kernel, 1, 'valid', 'NHWC', [dh, dw]);
  const [n, fh, fw, c] = dense.shape;
  return tf.stridedSlice(dense, [0, 0, 0, 0], [n, fh, fw, c], [1, strides[0], strides[1], 1]) as T4;
}

function conv2d(ctx: LayerContext, layer: Conv2DLayer, pads: WindowPads, x: T4): T {
  const { tf } = ctx;
  const kernel = ctx.param(`${layer.name}/kernel`) as tfc.Tensor4D;
  let y: T4;
  if (layer.groups === 1) {
    y = conv(tf, layer, pads, x, kernel);
  } else {
    // Keras groups: input channels and filters split into `groups` consecutive blocks, block g sees block g.
    const xs = tf.split(x, layer.groups, 3);
    const ks = tf.split(kernel, layer.groups, 3);
    y = tf.concat(
      xs.map((xi, g) => conv(tf, layer, pads, xi as T4, ks[g] as T4)),
      3,
    );
  }
  const out = layer.useBias ? tf.add(y, ctx.param(`${layer.name}/bias`)) : y;
  return activate(tf, out, layer.activation);
}

/** How many real (unpadded) cells each output window covers, along one axis. */
function coverage(size: number, k: number, s: number, before: number, out: number): number[] {
  return Array.from({ length: out }, (_, i) => {
    const start = i * s - before;
    return Math.min(start + k, size) - Math.max(start, 0);
  });
}

function pool(ctx: LayerContext, layer: Pool2DLayer, pads: WindowPads, x: T4): T {
  const { tf } = ctx;
  const [, H, W] = x.shape;
  const [kh, kw] = layer.poolSize;
  const [sh, sw] = layer.strides;
  if (isZero(pads)) {
    return layer.kind === 'maxPool2d' ? tf.maxPool(x, [kh, kw], [sh, sw], 'valid') : tf.avgPool(x, [kh, kw], [sh, sw], 'valid');
  }
  if (layer.kind === 'maxPool2d') {
    // Padding never wins a max (TensorFlow, PyTorch).
    if (layer.padding === 'same') return tf.maxPool(x, [kh, kw], [sh, sw], 'same');
    return tf.maxPool(tf.pad(x, boxOf(pads), -Infinity), [kh, kw], [sh, sw], 'valid');
  }
  // Average over real cells only, as TensorFlow does for 'same' (and convzoo for explicit padding). tfjs' own 'same'
  // forward agrees, but its AvgPoolGrad divides by the full window, so build it from a valid pool instead.
  const summed = tf.avgPool(tf.pad(x, boxOf(pads)), [kh, kw], [sh, sw], 'valid');
  const [, oh, ow] = summed.shape;
  const rows = coverage(H, kh, sh, pads.top, oh);
  const cols = coverage(W, kw, sw, pads.left, ow);
  const scale = new Float32Array(oh * ow);
  rows.forEach((r, i) => cols.forEach((c, j) => (scale[i * ow + j] = (kh * kw) / (r * c))));
  return tf.mul(summed, tf.tensor4d(scale, [1, oh, ow, 1]));
}

/** tf.nn.local_response_normalization: x / (bias + alpha * sum_{|d-c| <= r} x_d^2) ^ beta, as a banded matmul. */
function lrn(ctx: LayerContext, layer: LrnLayer, x: T4): T {
  const { tf } = ctx;
  const c = x.shape[3];
  const band = new Float32Array(c * c);
  for (let i = 0; i < c; i++) {
    for (let j = Math.max(0, i - layer.depthRadius); j <= Math.min(c - 1, i + layer.depthRadius); j++) band[i * c + j] = 1;
  }
  const sq = tf.reshape(tf.square(x), [-1, c]);
  const sums = tf.reshape(tf.matMul(sq, tf.tensor2d(band, [c, c])), x.shape);
  return tf.mul(x, tf.pow(tf.add(tf.mul(sums, layer.alpha), layer.bias), -layer.beta));
}

function batchNorm(ctx: LayerContext, layer: Extract<Layer, { kind: 'batchNorm' }>, x: T): T {
  const { tf } = ctx;
  const gamma = layer.scale ? ctx.param(`${layer.name}/gamma`) : undefined;
  const beta = layer.center ? ctx.param(`${layer.name}/beta`) : undefined;
  const movingMean = ctx.param(`${layer.name}/moving_mean`);
  const movingVar = ctx.param(`${layer.name}/moving_variance`);
  // Keras: a frozen BatchNorm layer always runs in inference mode.
  if (!ctx.training || layer.trainable === false) {
    return tf.batchNorm(x, movingMean, movingVar, beta, gamma, layer.epsilon);
  }
  const axes = x.rank === 4 ? [0, 1, 2] : [0];
  const { mean, variance } = tf.moments(x, axes);
  // Keras 3: moving = moving * momentum + batch * (1 - momentum), with the biased batch variance.
  const m = layer.momentum;
  ctx.update(`${layer.name}/moving_mean`, tf.add(tf.mul(movingMean, m), tf.mul(mean, 1 - m)));
  ctx.update(`${layer.name}/moving_variance`, tf.add(tf.mul(movingVar, m), tf.mul(variance, 1 - m)));
  // Plain ops (not tf.batchNorm) so the gradient through the batch statistics is autodiff's, on every backend.
  let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, layer.epsilon)));
  if (gamma) y = tf.mul(y, gamma);
  if (beta) y = tf.add(y, beta);
  return y;
}

type Forward = KindTable<[ctx: LayerContext, ins: T[], compiled: CompiledLayer], T>;

/**
 * THE tfjs forward rule of every layer kind: one entry per kind (test/kind-tables.test.ts checks none is missing). Each
 * gets the layer's analysis too (compileSpec's CompiledLayer: the windows' resolved pads), so nothing is re-derived.
 */
export const FORWARD: Forward = {
  input: (_, __, [x]) => x!,
  conv2d: (layer, ctx, [x], c) => conv2d(ctx, layer, padsOf(c), x as T4),
  dense: (layer, { tf, param }, [x]) => {
    const y = tf.matMul(x as tfc.Tensor2D, param(`${layer.name}/kernel`) as tfc.Tensor2D);
    return activate(tf, layer.useBias ? tf.add(y, param(`${layer.name}/bias`)) : y, layer.activation);
  },
  maxPool2d: (layer, ctx, [x], c) => pool(ctx, layer, padsOf(c), x as T4),
  avgPool2d: (layer, ctx, [x], c) => pool(ctx, layer, padsOf(c), x as T4),
  globalAvgPool2d: (_, { tf }, [x]) => tf.mean(x!, [1, 2]),
  zeroPad2d: ({ padding: p }, { tf }, [x]) => tf.pad(x!, padBox([p.top, p.bottom], [p.left, p.right])),
  batchNorm: (layer, ctx, [x]) => batchNorm(ctx, layer, x!),
  activation: (layer, { tf }, [x]) => activate(tf, x!, layer.activation),
  dropout: (layer, ctx, [x]) => {
    if (!ctx.training || layer.rate === 0) return x!;
    const { tf } = ctx;
    const keep = tf.cast(tf.greaterEqual(tf.randomUniform(x!.shape, 0, 1, 'float32', ctx.seed(layer.name)), layer.rate), 'float32');
    return tf.mul(x!, tf.mul(keep, 1 / (1 - layer.rate)));
  },
  // NHWC row-major: (h, w, c) order, as Keras flattens.
  flatten: (_, { tf }, [x]) => tf.reshape(x!, [x!.shape[0]!, -1]),
  concat: (_, { tf }, ins) => tf.concat(ins, -1),
  add: (_, { tf }, ins) => (ins.length === 1 ? ins[0]! : tf.addN(ins)),
  // Keras Resizing: half-pixel centres, no corner alignment.
  resize: (layer, { tf }, [x]) =>
    layer.method === 'bilinear' ? tf.image.resizeBilinear(x as T4, layer.size, false, true) : tf.image.resizeNearestNeighbor(x as T4, layer.size, false, true),
  lrn: (layer, ctx, [x]) => lrn(ctx, layer, x as T4),
};

/** The output of one (compiled) layer given its inputs' outputs. */
export function applyLayer(ctx: LayerContext, compiled: CompiledLayer, ins: T[]): T {
  return dispatchKind(FORWARD, compiled.layer, ctx, ins, compiled);
}
