// Activations (the activation kind and the ones fused into conv2d and dense) and dropout.
import type { ActivationName } from '@convzoo/models';
import type { AttrValue } from '../export/graph-builder.js';
import type { ForwardCtx, LayerFamily, TrainCtx, ForwardResult, BackwardResult } from './emitter.js';

/** Keras' softmax normalises over the last (channel) axis; in NCHW that is axis 1. */
const softmaxAxis = (rank: number) => (rank === 4 ? 1 : -1);

const ACTIVATION_OPS: Record<Exclude<ActivationName, 'linear' | 'relu6'>, string> = { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', softmax: 'Softmax' };

/** act(x) as one node `<name>/<act>` (x itself for linear); role 'layer' when it is the activation layer's own node. */
export function activate(c: ForwardCtx, kind: ActivationName, x: string, name: string, rank: number, role?: 'layer'): string {
  if (kind === 'linear') return x;
  // Clip with bound inputs (opset 11+): ONNX's relu6.
  if (kind === 'relu6') return c.op('Clip', `${name}/relu6`, [x, c.scalar(0), c.scalar(6)], {}, role);
  const attrs: Record<string, AttrValue> = kind === 'softmax' ? { axis: softmaxAxis(rank) } : {};
  return c.op(ACTIVATION_OPS[kind], `${name}/${kind}`, [x], attrs, role);
}

/**
 * tf: dy where y > 0. y >= 0, so min(ceil(y), 1) is that mask, 0 or 1 exactly, in three streaming float ops (ORT's CPU
 * Sign is a scalar loop and its Where 1.5 ns a cell: on LeNet's pooled relu Sign + Mul took 0.72 ms, Cast + Where
 * 0.67, Ceil + Min + Mul 0.28), and no boolean tensor (see floatEqual).
 */
export function reluGrad(c: TrainCtx, y: string, dy: string, name: string): string {
  return c.op('Mul', `${name}/drelu`, [dy, c.op('Min', `${name}/y>0`, [c.op('Ceil', `${name}/ceil`, [y]), c.scalar(1)])]);
}

/** dL/d(pre-activation) from dL/dy and y = act(pre-activation). */
export function activationGrad(c: TrainCtx, kind: ActivationName, y: string, dy: string, name: string, rank: number): string {
  switch (kind) {
    case 'linear':
      return dy;
    case 'relu':
      return reluGrad(c, y, dy, name);
    case 'sigmoid':
      return c.op('Mul', `${name}/dsigmoid`, [dy, c.op('Mul', `${name}/y(1-y)`, [y, c.op('Sub', `${name}/1-y`, [c.scalar(1), y])])]);
    case 'tanh':
      return c.op('Mul', `${name}/dtanh`, [dy, c.op('Sub', `${name}/1-y2`, [c.scalar(1), c.op('Mul', `${name}/y2`, [y, y])])]);
    case 'relu6': {
      // dy where 0 < y < 6: min(ceil(y), 1) * min(ceil(6 - y), 1), exact 0/1 masks as in reluGrad.
      const below6 = c.op('Min', `${name}/y<6`, [c.op('Ceil', `${name}/ceil6`, [c.op('Sub', `${name}/6-y`, [c.scalar(6), y])]), c.scalar(1)]);
      return c.op('Mul', `${name}/drelu6`, [reluGrad(c, y, dy, name), below6]);
    }
    case 'softmax': {
      const axis = c.ints([softmaxAxis(rank)]);
      const dot = c.op('ReduceSum', `${name}/dy.y`, [c.op('Mul', `${name}/dy*y`, [dy, y]), axis], { keepdims: 1 });
      return c.op('Mul', `${name}/dsoftmax`, [y, c.op('Sub', `${name}/dy-dot`, [dy, dot])]);
    }
  }
}

export const ACTIVATION_FAMILY: LayerFamily<'activation' | 'dropout'> = {
  forward: {
    activation(layer, c, _a, { x, inShape, n }): ForwardResult {
      return { output: activate(c, layer.activation, x, n, inShape.length === 3 ? 4 : 2, 'layer'), saved: {} };
    },
    // Outside training dropout is the identity (an exported file writes it as an Identity node named after the layer).
    dropout(layer, c, a, { x, n }): ForwardResult {
      if (!a.training || layer.rate === 0 || !a.mask) return { output: x, saved: {} };
      // The mask arrives already scaled by 1 / (1 - rate), drawn by the runtime from (seed, layer, step).
      return { output: c.op('Mul', `${n}/dropout`, [x, a.mask]), saved: { mask: a.mask } };
    },
  },
  backward: {
    activation(layer, c, a, { dy, inShape, n }): BackwardResult {
      return { dx: [a.reluApplied ? dy : activationGrad(c, layer.activation, a.output, dy, n, inShape.length === 3 ? 4 : 2)] };
    },
    dropout(_layer, c, a, { dy, n }): BackwardResult {
      return { dx: [a.saved.mask ? c.op('Mul', `${n}/dx`, [dy, a.saved.mask]) : dy] };
    },
  },
};
