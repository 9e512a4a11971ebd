// Normalisation: BatchNorm and LRN. Each has two forward forms (see ForwardCtx.graph): ONNX's inference operator in
// an exported file, and in the training graphs forms whose intermediates the backward pass reads (BatchNorm: the
// centred form on CPU, spelled out elsewhere).
import type { FeatureShape, LayerOf } from '@convzoo/models';
import {
  type BackwardResult,
  type ForwardArgs,
  type ForwardCtx,
  type ForwardLocals,
  type ForwardResult,
  type LayerFamily,
  type BackwardLocals,
  NCHW_SPATIAL,
} from './emitter.js';

/** Sum over a channel window [c - r, c + r] of an NCHW value (LRN), as a 1-channel conv over a [N, 1, C, H*W] view. */
function channelWindowSum(c: ForwardCtx, v: string, name: string, shape: FeatureShape, r: number): string {
  const [h, w, ch] = shape as [number, number, number];
  const view = c.op('Reshape', `${name}/view`, [v, c.ints([0, 1, ch, h * w])]);
  const size = 2 * r + 1;
  const ones = c.floats(`${name}/ones`, [1, 1, size, 1], new Float32Array(size).fill(1));
  const sum = c.op('Conv', `${name}/winsum`, [view, ones], { kernel_shape: [size, 1], pads: [r, 0, r, 0] });
  return c.op('Reshape', `${name}/back`, [sum, c.ints([0, ch, h, w])]);
}

/** The exported file's BatchNorm: one BatchNormalization node (inference mode) with the spec's epsilon. */
function batchNormOperator(layer: LayerOf<'batchNorm'>, c: ForwardCtx, { x, inShape, n, p }: ForwardLocals): ForwardResult {
  const ch = inShape[inShape.length - 1]!;
  const gamma = layer.scale ? p('gamma') : c.floats(`${n}/gamma(scale=false)`, [ch], new Float32Array(ch).fill(1));
  const beta = layer.center ? p('beta') : c.floats(`${n}/beta(center=false)`, [ch], new Float32Array(ch));
  const ins = [x, gamma, beta, p('moving_mean'), p('moving_variance')];
  return { output: c.op('BatchNormalization', `${n}/bn`, ins, { epsilon: { float: layer.epsilon } }, 'layer'), saved: {} };
}

/**
 * The training forward spelled out (ReduceMean, Sub, Mul, ...) with x-hat kept for its backward: WebGPU and CUDA (see
 * ForwardArgs.batchNormCentred). A fused form (BatchNormalization fed E[x^2] - mean^2, backward from x) cancelled
 * where mean^2 >> variance (one SGD step of resnet20 moved stem_conv/kernel 1.0e-3 of the update's norm away from
 * tfjs-cpu) and the WebGPU EP computed it wrongly (loss 8% off): it went; the centred form below replaces it on CPU.
 */
function batchNormSpelledForward(
  layer: LayerOf<'batchNorm'>,
  c: ForwardCtx,
  { x, n, p }: ForwardLocals,
  rank4: boolean,
  gamma: string | undefined,
  beta: string | undefined,
): ForwardResult {
  const axes = c.ints(rank4 ? NCHW_SPATIAL : [0]);
  const mean = c.op('ReduceMean', `${n}/mean`, [x, axes], { keepdims: 1 });
  const xc = c.op('Sub', `${n}/xc`, [x, mean]);
  const variance = c.op('ReduceMean', `${n}/var`, [c.op('Mul', `${n}/xc2`, [xc, xc]), axes], { keepdims: 1 });
  const inv = c.op('Reciprocal', `${n}/inv`, [c.op('Sqrt', `${n}/std`, [c.op('Add', `${n}/var+eps`, [variance, c.scalar(layer.epsilon)])])]);
  const xhat = c.op('Mul', `${n}/xhat`, [xc, inv]);
  let y = gamma ? c.op('Mul', `${n}/xg`, [xhat, gamma]) : xhat;
  if (beta) y = c.op('Add', `${n}/y`, [y, beta]);
  const m = layer.momentum;
  const update = (stat: string, batch: string) =>
    c.op('Add', `${n}/new_${stat}`, [
      c.op('Mul', `${n}/${stat}*m`, [p(stat), c.scalar(m)]),
      c.op('Mul', `${n}/${stat}_batch`, [c.op('Reshape', `${n}/${stat}_flat`, [batch, c.ints([-1])]), c.scalar(1 - m)]),
    ]);
  return {
    output: y,
    saved: { xhat, inv, ...(gamma ? { gamma } : {}) },
    updates: [
      [`${n}/moving_mean`, update('moving_mean', mean)],
      [`${n}/moving_variance`, update('moving_variance', variance)],
    ],
  };
}

/** scale * v + bias per channel in one pass: BatchNormalization (inference mode) with mean 0, variance 1, epsilon 0. */
function channelAffine(c: ForwardCtx, name: string, v: string, scale: string, bias: string | undefined, ch: number): string {
  const zeros = c.floats(`${name}/zeros`, [ch], new Float32Array(ch));
  const ones = c.floats(`${name}/ones`, [ch], new Float32Array(ch).fill(1));
  return c.op('BatchNormalization', name, [v, scale, bias ?? zeros, zeros, ones], { epsilon: { float: 0 } });
}

/**
 * The training forward on the CPU EP (also in WASM): two-pass batch statistics (mean, xc = x - mean, var =
 * mean(xc^2)), so nothing cancels where mean^2 >> variance, and the normalise-and-affine as one BatchNormalization
 * (inference mode) fed xc: xc * (gamma / sqrt(var + eps)) + beta in one pass where the spelled-out form took three
 * broadcasts. The backward reads xc, inv and the per-channel count. Measured (scripts/ab-bn.ts, sessions in turn,
 * median CPU ms/step at load ~4): four BatchNorms on [128, 16, 32, 32] 60 -> 47 (1 thread, 30 rounds), 60 -> 50 (2
 * threads); resnet20 b128 1019 -> 968 (2 threads, 15 rounds). Tried on bnstack and dropped (1 thread, 42 ms for
 * this form then, at load ~11): var as ReduceSumSquare / count (44), xc by a BatchNormalization affine (41), dx's
 * scale as a broadcast Mul instead of an affine (41). Not corrected: the float32 mean's own rounding (xc's mean fed back as the
 * operator's mean came within 2.5e-7 of float64 at mean 1e3, but moved vgg11_bn's step 1-3e-3 away from Keras, which
 * rounds it as it is).
 */
function batchNormCentredForward(layer: LayerOf<'batchNorm'>, c: ForwardCtx, { x, inShape, n, p }: ForwardLocals, rank4: boolean): ForwardResult {
  const ch = inShape[inShape.length - 1]!;
  const axes = c.ints(rank4 ? NCHW_SPATIAL : [0]);
  const cells = rank4 ? (inShape[0] as number) * (inShape[1] as number) : 1;
  const batch = c.op('Cast', `${n}/batch`, [c.op('Shape', `${n}/shape`, [x], { start: 0, end: 1 })], { to: 1 });
  const count = cells === 1 ? batch : c.op('Mul', `${n}/count`, [batch, c.scalar(cells)]);
  const mean = c.op('ReduceMean', `${n}/mean`, [x, axes], { keepdims: 1 });
  const xc = c.op('Sub', `${n}/xc`, [x, mean]);
  const variance = c.op('ReduceMean', `${n}/var`, [c.op('Mul', `${n}/xc2`, [xc, xc]), axes], { keepdims: 0 });
  const inv = c.op('Reciprocal', `${n}/inv`, [c.op('Sqrt', `${n}/std`, [c.op('Add', `${n}/var+eps`, [variance, c.scalar(layer.epsilon)])])]);
  const zeros = c.floats(`${n}/zeros`, [ch], new Float32Array(ch));
  const gamma = layer.scale ? p('gamma') : c.floats(`${n}/ones`, [ch], new Float32Array(ch).fill(1));
  const y = c.op('BatchNormalization', `${n}/y`, [xc, gamma, layer.center ? p('beta') : zeros, zeros, variance], { epsilon: { float: layer.epsilon } });
  const m = layer.momentum;
  const update = (stat: string, batchStat: string) =>
    c.op('Add', `${n}/new_${stat}`, [c.op('Mul', `${n}/${stat}*m`, [p(stat), c.scalar(m)]), c.op('Mul', `${n}/${stat}_batch`, [batchStat, c.scalar(1 - m)])]);
  return {
    output: y,
    saved: { xc, inv, count },
    updates: [
      [`${n}/moving_mean`, update('moving_mean', c.op('Reshape', `${n}/mean_flat`, [mean, c.ints([-1])]))],
      [`${n}/moving_variance`, update('moving_variance', variance)],
    ],
  };
}

/**
 * The centred form's backward: two reductions (sum dy, sum dy*xc) where the spelled-out one takes four, and
 * dx = k * ((dy - mean(dy)) - q * xc) with k = gamma * inv, q = inv^2 * mean(dy * xc) per channel: q * xc and the
 * outer scale one BatchNormalization pass each.
 */
function batchNormCentredBackward(
  layer: LayerOf<'batchNorm'>,
  c: ForwardCtx,
  saved: Record<string, string>,
  { dy, inShape, n, p, needX }: BackwardLocals,
): BackwardResult {
  const { xc, inv, count } = saved as { xc: string; inv: string; count: string };
  const ch = inShape[inShape.length - 1]!;
  const axes = c.ints(inShape.length === 3 ? NCHW_SPATIAL : [0]);
  const sumDy = c.op('ReduceSum', `${n}/dbeta`, [dy, axes], { keepdims: 0 });
  const sumDyXc = c.op('ReduceSum', `${n}/sum_dy*xc`, [c.op('Mul', `${n}/dy*xc`, [dy, xc]), axes], { keepdims: 0 });
  const params: Record<string, string> = {};
  if (layer.scale) params.gamma = c.op('Mul', `${n}/dgamma`, [sumDyXc, inv]);
  if (layer.center) params.beta = sumDy;
  if (!needX) return { dx: [undefined], params };
  const meanDy = c.op('Div', `${n}/mean_dy`, [sumDy, count]);
  const q = c.op('Mul', `${n}/q`, [c.op('Div', `${n}/mean_dy*xc`, [sumDyXc, count]), c.op('Mul', `${n}/inv^2`, [inv, inv])]);
  const k = layer.scale ? c.op('Mul', `${n}/k`, [p('gamma'), inv]) : inv;
  // dy - mean(dy) subtracted as such (one more pass than folding mean(dy) into the affine): a conv bias's gradient
  // before a BatchNorm stays at the spelled-out form's rounding noise (training-resume.test.ts: 1.2e-4 folded, bound 1e-4).
  const dyc = c.op('Sub', `${n}/dy-mean`, [dy, c.op('Reshape', `${n}/mean_dy_c11`, [meanDy, c.ints(inShape.length === 3 ? [1, ch, 1, 1] : [1, ch])])]);
  const v = c.op('Sub', `${n}/v`, [dyc, channelAffine(c, `${n}/u`, xc, q, undefined, ch)]);
  return { dx: [channelAffine(c, `${n}/dx`, v, k, undefined, ch)], params };
}

function batchNormForward(layer: LayerOf<'batchNorm'>, c: ForwardCtx, a: ForwardArgs, l: ForwardLocals): ForwardResult {
  const useOperator = a.batchNormOperator ?? true;
  // The eval and predict graphs too: one fused pass where the spelled-out form took three.
  if (c.graph === 'export' || (!a.training && useOperator)) return batchNormOperator(layer, c, l);
  const { x, inShape, n, p } = l;
  const ch = inShape[inShape.length - 1]!;
  const rank4 = inShape.length === 3;
  if (a.training && layer.trainable !== false && (a.batchNormCentred ?? true)) return batchNormCentredForward(layer, c, l, rank4);
  const shaped = (v: string) => (rank4 ? c.op('Reshape', `${v}/nc11`, [v, c.ints([1, ch, 1, 1])]) : v);
  const gamma = layer.scale ? shaped(p('gamma')) : undefined;
  if (layer.trainable === false || !a.training) {
    const beta = layer.center ? shaped(p('beta')) : undefined;
    // Inference mode: a frozen layer in training (as in Keras; its backward reads the scale), or the eval and predict
    // graphs without the fused operator.
    const inv = c.op('Reciprocal', `${n}/inv`, [
      c.op('Sqrt', `${n}/std`, [c.op('Add', `${n}/var+eps`, [shaped(p('moving_variance')), c.scalar(layer.epsilon)])]),
    ]);
    const scale = gamma ? c.op('Mul', `${n}/scale`, [inv, gamma]) : inv;
    let y = c.op('Mul', `${n}/xs`, [c.op('Sub', `${n}/xc`, [x, shaped(p('moving_mean'))]), scale]);
    if (beta) y = c.op('Add', `${n}/y`, [y, beta]);
    return { output: y, saved: { scale } };
  }
  return batchNormSpelledForward(layer, c, l, rank4, gamma, layer.center ? shaped(p('beta')) : undefined);
}

function lrnForward(layer: LayerOf<'lrn'>, c: ForwardCtx, _a: ForwardArgs, { x, inShape, n }: ForwardLocals): ForwardResult {
  if (c.graph === 'export') {
    // TF: x / (bias + alpha * sum_{c-r..c+r} x^2)^beta. ONNX: x / (bias + alpha/size * sum over size)^beta, with
    // size = 2r + 1 centred (floor/ceil of (size-1)/2 = r on both sides), so alpha_onnx = alpha * size.
    const size = 2 * layer.depthRadius + 1;
    const attrs = { size, alpha: { float: layer.alpha * size }, beta: { float: layer.beta }, bias: { float: layer.bias } };
    return { output: c.op('LRN', `${n}/lrn`, [x], attrs, 'layer'), saved: {} };
  }
  const sq = c.op('Mul', `${n}/x2`, [x, x]);
  const d = c.op('Add', `${n}/d`, [
    c.scalar(layer.bias),
    c.op('Mul', `${n}/asum`, [c.scalar(layer.alpha), channelWindowSum(c, sq, `${n}/fw`, inShape, layer.depthRadius)]),
  ]);
  const pw = c.op('Pow', `${n}/pow`, [d, c.scalar(-layer.beta)]);
  return { output: c.op('Mul', `${n}/lrn`, [x, pw]), saved: { d, pw } };
}

export const NORM_FAMILY: LayerFamily<'batchNorm' | 'lrn'> = {
  forward: { batchNorm: batchNormForward, lrn: lrnForward },
  backward: {
    batchNorm(layer, c, a, l): BackwardResult {
      const { dy, inShape, n, needX } = l;
      if (layer.trainable === false) return { dx: [c.op('Mul', `${n}/dx`, [dy, a.saved.scale!])] };
      const rank4 = inShape.length === 3;
      const axes = rank4 ? NCHW_SPATIAL : [0];
      if (a.saved.xc) return batchNormCentredBackward(layer, c, a.saved, l);
      const { xhat, inv, gamma } = a.saved as { xhat: string; inv: string; gamma?: string };
      const params: Record<string, string> = {};
      if (layer.scale) params.gamma = c.op('ReduceSum', `${n}/dgamma`, [c.op('Mul', `${n}/dy*xhat`, [dy, xhat]), c.ints(axes)], { keepdims: 0 });
      if (layer.center) params.beta = c.op('ReduceSum', `${n}/dbeta`, [dy, c.ints(axes)], { keepdims: 0 });
      const dxhat = gamma ? c.op('Mul', `${n}/dxhat`, [dy, gamma]) : dy;
      // dx = inv * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), the batch statistics' own gradient included.
      const m1 = c.op('ReduceMean', `${n}/mean_dxhat`, [dxhat, c.ints(axes)], { keepdims: 1 });
      const m2 = c.op('ReduceMean', `${n}/mean_dxhat_xhat`, [c.op('Mul', `${n}/dxhat*xhat`, [dxhat, xhat]), c.ints(axes)], { keepdims: 1 });
      const inner = c.op('Sub', `${n}/inner`, [c.op('Sub', `${n}/d-m1`, [dxhat, m1]), c.op('Mul', `${n}/xhat*m2`, [xhat, m2])]);
      return { dx: [needX ? c.op('Mul', `${n}/dx`, [inner, inv]) : undefined], params };
    },
    lrn(layer, c, a, { dy, x, inShape, n }): BackwardResult {
      const { d, pw } = a.saved as { d: string; pw: string };
      // dx = dy d^-b - 2 a b x sum_window(dy x d^(-b-1)).
      const inner = c.op('Div', `${n}/inner`, [c.op('Mul', `${n}/dyxpw`, [c.op('Mul', `${n}/dyx`, [dy, x]), pw]), d]);
      const win = channelWindowSum(c, inner, `${n}/bw`, inShape, layer.depthRadius);
      const second = c.op('Mul', `${n}/second`, [c.op('Mul', `${n}/xwin`, [x, win]), c.scalar(2 * layer.alpha * layer.beta)]);
      return { dx: [c.op('Sub', `${n}/dx`, [c.op('Mul', `${n}/first`, [dy, pw]), second])] };
    },
  },
};
