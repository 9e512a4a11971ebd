// The state of one import: ONNX values by name, the layers and weights built so far, and the helpers every op
// handler uses to read its inputs and to refuse what convzoo cannot express (an OnnxImportError naming the node).
import type { Tensor, WeightMap } from '@convzoo/backend';
import type { Layer } from '@convzoo/models';
import type { NodeProto } from '../proto/onnx.js';
import { Attrs, type ConstTensor, OnnxImportError } from './onnx-read.js';
import type { ActivationValue, FlatValue, ImageValue, Value } from './values.js';

export class ImportState {
  readonly values = new Map<string, Value>();
  readonly layers: Layer[] = [];
  readonly weights: WeightMap = {};
  /** How many nodes (and graph outputs) read each value. */
  readonly consumers = new Map<string, number>();
  private readonly layerNames = new Set<string>();
  constructor(readonly opset: number) {}

  /** A unique layer name from an ONNX node name (`<op>_<index>` for unnamed nodes). */
  layerName(wanted: string): string {
    let name = wanted;
    for (let i = 1; this.layerNames.has(name); i++) name = `${wanted}_${i}`;
    this.layerNames.add(name);
    return name;
  }

  layer(name: string): Layer | undefined {
    return this.layers.find((l) => l.name === name);
  }
}

/** What an op handler sees of its node. */
export class NodeContext {
  readonly attrs: Attrs;
  constructor(
    readonly state: ImportState,
    readonly node: NodeProto,
    /** The layer name this node's layer gets (the node name, made unique). */
    readonly name: string,
  ) {
    this.attrs = new Attrs(node);
  }

  get opset(): number {
    return this.state.opset;
  }

  fail(detail: string): never {
    throw new OnnxImportError(detail, { node: this.node.name || this.name, op: this.node.op_type, opset: this.state.opset });
  }

  /** Whether input i is given (optional inputs may be absent or ''). */
  has(i: number): boolean {
    const n = this.node.input[i];
    return n !== undefined && n !== '';
  }

  input(i: number): Value {
    const n = this.node.input[i];
    if (n === undefined || n === '') this.fail(`input ${i} is missing`);
    const v = this.state.values.get(n);
    if (!v) this.fail(`input '${n}' is not produced by any node, initializer or graph input before it`);
    return v;
  }

  constant(i: number, what: string): ConstTensor {
    const v = this.input(i);
    if (v.kind === 'const') return v.tensor;
    if (v.kind === 'shape' && v.dims.every((d) => d !== 'batch')) return { dims: [v.dims.length], data: v.dims as number[] };
    return this.fail(`${what} (input '${this.node.input[i]}') must be a constant (an initializer or Constant), not computed from the input`);
  }

  floats(i: number, what: string): Float32Array {
    const t = this.constant(i, what);
    return t.data instanceof Float32Array ? t.data : Float32Array.from(t.data);
  }

  activation(i: number): ActivationValue {
    const v = this.input(i);
    if (v.kind === 'image' || v.kind === 'flat') return v;
    return this.fail(`input '${this.node.input[i]}' must be computed from the model input; constant-only subgraphs are not folded here`);
  }

  /** An image in NCHW, the layout ONNX's Conv, pools, BatchNormalization and LRN read. */
  nchw(i: number): ImageValue {
    const v = this.activation(i);
    if (v.kind !== 'image') this.fail(`needs a 4-D image input, got a 2-D [N, ${v.size}] one`);
    if (v.layout !== 'nchw') this.fail(`reads its input as NCHW, but '${this.node.input[i]}' is NHWC here (a Transpose [0, 3, 1, 2] is missing)`);
    return v;
  }

  /** Adds a layer named after the node with its parameters (`<layer>/<param>`), and returns its name. */
  addLayer(layer: Layer, params: Record<string, Tensor> = {}): string {
    this.state.layers.push(layer);
    for (const [p, t] of Object.entries(params)) this.state.weights[`${layer.name}/${p}`] = t;
    return layer.name;
  }

  /** The ONNX consumers of input i (0 when unknown). */
  consumersOf(i: number): number {
    return this.state.consumers.get(this.node.input[i] ?? '') ?? 0;
  }

  /** A value derived from input i without a new layer (Transpose, Identity, Flatten of a pooled value, ...). */
  alias<V extends ActivationValue>(i: number, v: V, change: Partial<V> = {}): V {
    return { ...v, ...change, exclusive: v.exclusive && this.consumersOf(i) === 1 };
  }

  image(layer: string, shape: ImageValue['shape']): ImageValue {
    return { kind: 'image', layer, layout: 'nchw', shape, exclusive: true };
  }

  flat(layer: string, size: number, extra: Partial<FlatValue> = {}): FlatValue {
    return { kind: 'flat', layer, size, exclusive: true, ...extra };
  }
}
