// Dense: Gemm (kernel [in, out], Keras' layout) and its fused activation.
import { activate, activationGrad } from './activation.js';
import type { BackwardResult, LayerFamily, ForwardResult } from './emitter.js';

export const DENSE_FAMILY: LayerFamily<'dense'> = {
  forward: {
    dense(layer, c, _a, { x, n, p }): ForwardResult {
      const ins = [x, p('kernel')];
      if (layer.useBias) ins.push(p('bias'));
      const z = c.op('Gemm', `${n}/gemm`, ins, {}, 'layer');
      return { output: activate(c, layer.activation, z, n, 2), saved: {} };
    },
  },
  backward: {
    dense(layer, c, a, { dy, x, n, p, needX }): BackwardResult {
      const dz = a.reluApplied ? dy : activationGrad(c, layer.activation, a.output, dy, n, 2);
      const result: BackwardResult = { dx: [needX ? c.op('Gemm', `${n}/dx`, [dz, p('kernel')], { transB: 1 }) : undefined] };
      if (a.trainable) {
        result.params = { kernel: c.op('Gemm', `${n}/dw`, [x, dz], { transA: 1 }) };
        if (layer.useBias) result.params.bias = c.op('ReduceSum', `${n}/db`, [dz, c.ints([0])], { keepdims: 0 });
      }
      return result;
    },
  },
};
