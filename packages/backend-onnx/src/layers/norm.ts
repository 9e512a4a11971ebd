// Normalisation: BatchNorm and LRN. Each has two forward forms (see ForwardCtx.graph): ONNX's inference operator in
// an exported file, and the arithmetic spelled out in the training graphs, where the backward pass reads it.
import type { FeatureShape, LayerOf } from '@convzoo/models';
import {
  type BackwardArgs,
  type BackwardResult,
  type ForwardArgs,
  type ForwardCtx,
  type ForwardLocals,
  type ForwardResult,
  type LayerFamily,
  NCHW_SPATIAL,
  type TrainCtx,
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
 * The training forward in three passes over x: the batch mean, the sum of squares (ReduceSumSquare, no squared tensor
 * written), and ONNX's BatchNormalization fed the batch statistics (one fused normalise-scale-shift), no x-hat kept.
 * Against the spelled-out form (Sub, Mul, ReduceMean, Mul, Mul, Add: seven passes, three full-size tensors) with its
 * backward, ResNet20's step at batch 128 (2 threads, 5 alternating runs each on 2 cores at load 22): 1,085 -> 1,062
 * ms CPU (min 1,053 -> 996); in the profile the BatchNorm ops went from ~1,880 to ~1,300 ms of kernel time.
 */
function batchNormTrainForward(
  layer: LayerOf<'batchNorm'>,
  c: ForwardCtx,
  { x, inShape, n, p }: ForwardLocals,
  ch: number,
  rank4: boolean,
  /** gamma shaped to broadcast against x ([1, C, 1, 1]), for the backward; undefined when scale is off. */
  gamma: string | undefined,
): ForwardResult {
  const axes = c.ints(rank4 ? NCHW_SPATIAL : [0]);
  // 1 / (N * H * W): the batch is known only at run time.
  const cells = rank4 ? inShape[0]! * inShape[1]! : 1;
  const batch = c.op('Cast', `${n}/batch`, [c.op('Shape', `${n}/n`, [x], { start: 0, end: 1 })], { to: 1 });
  const invCount = c.op('Reciprocal', `${n}/inv_count`, [c.op('Mul', `${n}/count`, [batch, c.scalar(cells)])]);
  const mean = c.op('ReduceMean', `${n}/mean`, [x, axes], { keepdims: 1 });
  // E[x^2] - mean^2 (clamped at 0 against rounding): one pass over x fewer than the squared deviations (ResNet20,
  // batch 128: 1,011 -> 947 ms CPU per step). Parity suites (training-cpu, training-fixtures) hold at their bounds.
  const ex2 = c.op('Mul', `${n}/ex2`, [c.op('ReduceSumSquare', `${n}/ss`, [x, axes], { keepdims: 1 }), invCount]);
  const variance = c.op('Relu', `${n}/var`, [c.op('Sub', `${n}/ex2-m2`, [ex2, c.op('Mul', `${n}/mean2`, [mean, mean])])]);
  const inv = c.op('Reciprocal', `${n}/inv`, [c.op('Sqrt', `${n}/std`, [c.op('Add', `${n}/var+eps`, [variance, c.scalar(layer.epsilon)])])]);
  const flat = (v: string) => c.op('Reshape', `${v}/c`, [v, c.ints([-1])]);
  const meanC = flat(mean);
  const varC = flat(variance);
  const gammaC = layer.scale ? p('gamma') : c.floats(`${n}/ones`, [ch], new Float32Array(ch).fill(1));
  const betaC = layer.center ? p('beta') : c.floats(`${n}/zeros`, [ch], new Float32Array(ch));
  const y = c.op('BatchNormalization', `${n}/y`, [x, gammaC, betaC, meanC, varC], { epsilon: { float: layer.epsilon } });
  // Keras 3: moving = moving * momentum + batch * (1 - momentum), biased batch variance.
  const m = layer.momentum;
  const update = (stat: string, batchStat: string) =>
    c.op('Add', `${n}/new_${stat}`, [c.op('Mul', `${n}/${stat}*m`, [p(stat), c.scalar(m)]), c.op('Mul', `${n}/${stat}_batch`, [batchStat, c.scalar(1 - m)])]);
  return {
    output: y,
    saved: { mean, meanC, varC, inv, invCount, ...(gamma ? { gamma } : {}) },
    updates: [
      [`${n}/moving_mean`, update('moving_mean', meanC)],
      [`${n}/moving_variance`, update('moving_variance', varC)],
    ],
  };
}

/**
 * The spelled-out training forward (ReduceMean, Sub, Mul, ...) with x-hat kept for its backward: the form the WebGPU
 * EP computes correctly (see ForwardArgs.fusedBatchNorm).
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

function batchNormForward(layer: LayerOf<'batchNorm'>, c: ForwardCtx, a: ForwardArgs, l: ForwardLocals): ForwardResult {
  const fused = a.fusedBatchNorm ?? true;
  // The eval and predict graphs too: one fused pass where the spelled-out form took three.
  if (c.graph === 'export' || (!a.training && fused)) return batchNormOperator(layer, c, l);
  const { x, inShape, n, p } = l;
  const ch = inShape[inShape.length - 1]!;
  const rank4 = inShape.length === 3;
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
  if (!fused) return batchNormSpelledForward(layer, c, l, rank4, gamma, layer.center ? shaped(p('beta')) : undefined);
  return batchNormTrainForward(layer, c, l, ch, rank4, gamma);
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

/**
 * The backward of batchNormTrainForward from x and the batch statistics, no x-hat tensor kept: with A = inv * gamma,
 * dbeta = sum(dy), dgamma = inv * (sum(dy * x) - mean * sum(dy)), and
 * dx = A * dy - inv * gamma * (mean(dy) + x-hat * dgamma / count), the x-hat part one BatchNormalization of x whose
 * scale and bias are those per-channel factors. Two passes over dy (one Mul, two reductions) and three for dx, where
 * the spelled-out form took seven and four reductions.
 */
function batchNormTrainBackward(
  layer: LayerOf<'batchNorm'>,
  c: TrainCtx,
  a: BackwardArgs,
  { dy, x, n, needX, axes, ch }: { dy: string; x: string; n: string; needX: boolean; axes: number[]; ch: number },
): BackwardResult {
  const { mean, meanC, varC, inv, invCount, gamma } = a.saved as { mean: string; meanC: string; varC: string; inv: string; invCount: string; gamma?: string };
  const ax = c.ints(axes);
  const flat = (v: string) => c.op('Reshape', `${v}/c`, [v, c.ints([-1])]);
  const sdy = c.op('ReduceSum', `${n}/sum_dy`, [dy, ax], { keepdims: 1 });
  const sdyx = c.op('ReduceSum', `${n}/sum_dyx`, [c.op('Mul', `${n}/dyx`, [dy, x]), ax], { keepdims: 1 });
  const dgamma = c.op('Mul', `${n}/dgamma4`, [inv, c.op('Sub', `${n}/dg_inner`, [sdyx, c.op('Mul', `${n}/mean*sdy`, [mean, sdy])])]);
  const params: Record<string, string> = {};
  if (layer.scale) params.gamma = flat(dgamma);
  if (layer.center) params.beta = flat(sdy);
  if (!needX) return { dx: [undefined], params };
  const ig = gamma ? c.op('Mul', `${n}/inv*gamma`, [inv, gamma]) : inv;
  const negIgCount = c.op('Mul', `${n}/-ig/count`, [ig, c.op('Neg', `${n}/-inv_count`, [invCount])]);
  const scale = flat(c.op('Mul', `${n}/dx_scale`, [negIgCount, dgamma]));
  const xhatPart = c.op('BatchNormalization', `${n}/dx_xhat`, [x, scale, c.floats(`${n}/dx_zeros`, [ch], new Float32Array(ch)), meanC, varC], {
    epsilon: { float: layer.epsilon },
  });
  // dy - mean(dy) subtracted as such: the channel sum of dx (a conv bias's gradient before a BatchNorm) stays at
  // rounding noise of the old form's size (training-resume.test.ts compares it with tfjs after 4 Adam steps).
  const centred = c.op('Sub', `${n}/dy-mean`, [dy, c.op('Mul', `${n}/mean_dy`, [sdy, invCount])]);
  return { dx: [c.op('Add', `${n}/dx`, [c.op('Mul', `${n}/A*dy`, [centred, ig]), xhatPart])], params };
}

export const NORM_FAMILY: LayerFamily<'batchNorm' | 'lrn'> = {
  forward: { batchNorm: batchNormForward, lrn: lrnForward },
  backward: {
    batchNorm(layer, c, a, { dy, x, inShape, n, needX }): BackwardResult {
      if (layer.trainable === false) return { dx: [c.op('Mul', `${n}/dx`, [dy, a.saved.scale!])] };
      const rank4 = inShape.length === 3;
      const axes = rank4 ? NCHW_SPATIAL : [0];
      if (a.saved.meanC) return batchNormTrainBackward(layer, c, a, { dy, x, n, needX, axes, ch: inShape[inShape.length - 1]! });
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
