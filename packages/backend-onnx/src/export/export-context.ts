// The exported inference file's emitter context for one layer: weights become initializers (conv kernels OIHW), the
// layer's own node carries the layer's name, and its result is written to the graph value the exporter asks for.
import type { CompiledLayer } from '@convzoo/models';
import type { WeightMap } from '@convzoo/backend';
import type { ForwardCtx, SpecLayer } from '../layers/emitter.js';
import { emitForward } from '../layers/tables.js';
import type { AttrValue, GraphBuilder } from './graph-builder.js';
import { hwioToOihw, isOihwParam } from './layout.js';

interface PendingNode {
  type: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, AttrValue>;
}

/**
 * Emits one layer into `g`, its result named `output`. The layer's nodes are collected first, so the node computing
 * the result can write `output` directly; a layer that passes its input through (linear activation, dropout, flatten
 * of a vector, a one-input add) becomes an Identity named after it, so every layer keeps its own named value.
 */
export function exportLayer(
  g: GraphBuilder,
  layer: SpecLayer,
  node: CompiledLayer,
  weights: WeightMap,
  { inputs, output }: { inputs: string[]; output: string },
): void {
  const n = layer.name;
  const pending: PendingNode[] = [];
  let constants = 0;
  const c: ForwardCtx = {
    graph: 'export',
    op(type, name, ins, attrs = {}, role) {
      pending.push({ type, name: role === 'layer' ? n : name, inputs: ins, outputs: [name], attrs });
      return name;
    },
    ops(type, name, ins, count, attrs = {}) {
      const outputs = Array.from({ length: count }, (_, i) => `${name}/${i}`);
      pending.push({ type, name, inputs: ins, outputs, attrs });
      return outputs;
    },
    scalar: (v, name) => g.floatInit(name ?? `${n}/const${constants++}`, [], Float32Array.of(v)),
    ints: (v, name) => g.int64Init(name ?? `${n}/const${constants++}`, v),
    floats: (name, dims, data) => g.floatInit(name, dims, data),
  };
  const param = (short: string) => {
    const info = node.params.find((p) => p.param === short);
    if (!info) throw new Error(`internal: layer '${n}' has no parameter '${short}'`);
    const data = weights[info.name]!.data;
    if (!isOihwParam(layer.kind, short)) return g.floatInit(info.name, [...info.shape], data);
    const [kh, kw, ci, co] = info.shape as [number, number, number, number];
    return g.floatInit(info.name, [co, ci, kh, kw], hwioToOihw(data, info.shape));
  };
  const result = emitForward(c, layer, { inputs, inputShapes: node.inputShapes, pads: node.pads, param, training: false });
  const last = pending.find((p) => p.outputs.includes(result.output));
  if (last) {
    if (pending.some((p) => p.inputs.includes(result.output))) throw new Error(`internal: layer '${n}' reads its own result`);
    last.outputs = last.outputs.map((o) => (o === result.output ? output : o));
  } else {
    pending.push({ type: 'Identity', name: n, inputs: [result.output], outputs: [output], attrs: {} });
  }
  for (const p of pending) g.node(p.type, p.name, p.inputs, p.outputs, p.attrs);
}
