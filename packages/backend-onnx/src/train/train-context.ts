// The training graphs' emitter context: node names made unique, constants shared by value, parameters as graph inputs.
import type { GraphBuilder } from '../export/graph-builder.js';
import type { TrainCtx } from '../layers/emitter.js';
import { IO } from './io.js';

/** `param`: a parameter's graph value by full name (default: its graph input). */
export function makeTrainCtx(g: GraphBuilder, param: (name: string) => string = IO.param): TrainCtx {
  const used = new Set<string>();
  const unique = (name: string) => {
    let n = name;
    for (let k = 1; used.has(n); k++) n = `${name}#${k}`;
    used.add(n);
    return n;
  };
  const scalars = new Map<number, string>();
  const intConsts = new Map<string, string>();
  const c: TrainCtx = {
    graph: 'training',
    g,
    op(type, name, inputs, attrs = {}) {
      const n = unique(name);
      g.node(type, n, inputs, [n], attrs);
      return n;
    },
    domainOp(domain, type, name, inputs, attrs = {}) {
      const n = unique(name);
      g.node(type, n, inputs, [n], attrs, domain);
      return n;
    },
    ops(type, name, inputs, count, attrs = {}) {
      const n = unique(name);
      const outs = Array.from({ length: count }, (_, i) => `${n}/${i}`);
      g.node(type, n, inputs, outs, attrs);
      return outs;
    },
    scalar(v) {
      let s = scalars.get(v);
      if (!s) {
        s = g.floatInit(`const/f${scalars.size}`, [], Float32Array.of(v));
        scalars.set(v, s);
      }
      return s;
    },
    ints(v) {
      const key = v.join(',');
      let s = intConsts.get(key);
      if (!s) {
        s = g.int64Init(`const/i${intConsts.size}`, v);
        intConsts.set(key, s);
      }
      return s;
    },
    floats(name, dims, data) {
      return g.floatInit(unique(name), dims, data);
    },
    clipGrad(prefix, x, clipped, v) {
      return c.op('Mul', `${prefix}/inside`, [v, c.floatEqual(prefix, clipped, x)]);
    },
    floatEqual(prefix, a, b) {
      // Masks stay float: onnxruntime-web's WebGPU EP runs And/Or on the CPU EP, and bool tensors that cross between
      // the two (or that Equal writes) are misread by Where and Cast (test/webgpu-graphs.test.ts keeps booleans out of
      // the WebGPU graphs). a - b is 0 exactly when a == b (IEEE subtraction of distinct finite floats is never 0).
      return c.op('Sub', `${prefix}/eq`, [c.scalar(1), c.op('Abs', `${prefix}/ne`, [c.op('Sign', `${prefix}/sgn`, [c.op('Sub', `${prefix}/diff`, [a, b])])])]);
    },
    param,
  };
  return c;
}
