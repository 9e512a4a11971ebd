// ONNX ops that add no layer or a structural one: layout changes (Transpose), aliases (Identity, Cast), reshapes
// (Flatten, Reshape, Squeeze), merges (Add, Concat, including a bias Add folded into the conv/dense before it), and
// the integer arithmetic on shapes that exporters write before a Reshape (Shape -> Gather -> Unsqueeze -> Concat).
import { tensor } from '@convzoo/backend';
import type { NodeContext } from './import-context.js';
import type { OpHandler } from './ops-layers.js';
import { readTensor } from './onnx-read.js';
import { type ActivationValue, type ConstValue, type ShapeValue, type Value, onnxDims } from './values.js';

const FLOAT_TYPE = 1;

/** An integer vector from a constant or shape value, or undefined when the value is an activation or float. */
function ints(v: Value): Array<number | 'batch'> | undefined {
  if (v.kind === 'shape') return v.dims;
  if (v.kind === 'const' && !(v.tensor.data instanceof Float32Array)) return [...v.tensor.data];
  return undefined;
}

const shapeValue = (dims: Array<number | 'batch'>): ShapeValue => ({ kind: 'shape', dims });

function identity(c: NodeContext): Value {
  const v = c.input(0);
  return v.kind === 'image' || v.kind === 'flat' ? c.alias(0, v) : v;
}

function cast(c: NodeContext): Value {
  const v = c.input(0);
  if ((v.kind === 'image' || v.kind === 'flat') && c.attrs.int('to', FLOAT_TYPE) !== FLOAT_TYPE)
    c.fail(`casts an activation to type ${c.attrs.int('to', 0)}; convzoo computes in float32 only`);
  return identity(c);
}

function transpose(c: NodeContext): Value {
  const x = c.activation(0);
  const perm = c.attrs.ints('perm', []).join(',');
  if (perm === '0,1,2,3' || perm === '0,1') return c.alias(0, x);
  if (x.kind === 'image' && x.layout === 'nchw' && perm === '0,2,3,1') return c.alias(0, x, { layout: 'nhwc' });
  if (x.kind === 'image' && x.layout === 'nhwc' && perm === '0,3,1,2') return c.alias(0, x, { layout: 'nchw' });
  return c.fail(`perm [${perm}] of a [${onnxDims(x).join(', ')}] value; only NCHW <-> NHWC transposes of images are supported`);
}

/** [N, everything else]: a flatten layer for images, nothing for values already flat. */
function toFlat(c: NodeContext, x: ActivationValue): Value {
  if (x.kind === 'flat') return c.alias(0, x, { pooled: false });
  const [h, w, ch] = x.shape;
  const name = c.addLayer({ kind: 'flatten', name: c.name, inputs: [x.layer] });
  // convzoo flattens (h, w, c); an NCHW image flattens (c, h, w): the dense layer after it reorders its rows.
  return c.flat(name, h * w * ch, x.layout === 'nchw' && h * w > 1 ? { chw: x.shape } : {});
}

function flatten(c: NodeContext): Value {
  const x = c.activation(0);
  let axis = c.attrs.int('axis', 1);
  if (axis < 0) axis += onnxDims(x).length;
  if (axis !== 1) c.fail(`axis ${axis}: only flattening everything after the batch axis (axis 1) is supported`);
  return toFlat(c, x);
}

function reshape(c: NodeContext): Value {
  const x = c.activation(0);
  const target = ints(c.input(1));
  if (!target) c.fail('the target shape must be integer constants or computed from shapes');
  const dims = onnxDims(x);
  const size = dims.slice(1).reduce<number>((a, b) => a * (b as number), 1);
  // The first target dim must stay the batch: 0 (copy), the symbolic batch, or the batch size the file was traced at.
  const [first, ...rest] = target.map((d, i) => (d === 0 && c.attrs.int('allowzero', 0) === 0 ? dims[i] : d));
  const known = rest.filter((d): d is number => d !== -1 && d !== 'batch');
  if (rest.some((d) => d === 'batch') || first === undefined) c.fail(`target [${target}] does not keep the batch axis first`);
  const restSize = rest.includes(-1) ? size : known.reduce((a, b) => a * b, 1);
  if (restSize !== size) c.fail(`target [${target}] does not fit a [${dims}] value`);
  if (rest.length === 1) return toFlat(c, x);
  if (x.kind === 'flat' && rest.length === 3 && rest[1] === 1 && rest[2] === 1) return c.alias(0, x, { pooled: true });
  return c.fail(`target [${target}] of a [${dims}] value; only reshapes to [N, features] are supported`);
}

function squeeze(c: NodeContext): Value {
  const v = c.input(0);
  const axes = c.opset >= 13 ? (c.has(1) ? ints(c.input(1)) : undefined) : c.attrs.ints('axes', []);
  if (
    v.kind === 'flat' &&
    v.pooled &&
    axes &&
    axes
      .map(Number)
      .map((a) => (a < 0 ? a + 4 : a))
      .join(',') === '2,3'
  )
    return c.alias(0, v, { pooled: false });
  const vector = ints(v);
  if (vector) return shapeValue(vector);
  return c.fail('only squeezing the 1x1 spatial axes of a pooled value is supported');
}

function unsqueeze(c: NodeContext): Value {
  const vector = ints(c.input(0));
  if (!vector) c.fail('unsqueezes an activation; only shape arithmetic before a Reshape is supported');
  return shapeValue(vector);
}

function shape(c: NodeContext): Value {
  const dims = onnxDims(c.activation(0));
  const at = (a: number) => (a < 0 ? a + dims.length : a);
  return shapeValue(dims.slice(at(c.attrs.int('start', 0)), c.attrs.has('end') ? at(c.attrs.int('end', dims.length)) : dims.length));
}

function gather(c: NodeContext): Value {
  const data = ints(c.input(0));
  const index = ints(c.input(1));
  if (!data || !index || c.attrs.int('axis', 0) !== 0) c.fail('only gathering from a shape (integer vector) is supported');
  return shapeValue(index.map((i) => data[(i as number) < 0 ? (i as number) + data.length : (i as number)] ?? c.fail(`index ${i} is out of range`)));
}

function constant(c: NodeContext): Value {
  const t = c.attrs.tensor('value');
  if (t) return { kind: 'const', tensor: readTensor(t, `node '${c.name}'`) } satisfies ConstValue;
  if (c.attrs.has('value_float')) return { kind: 'const', tensor: { dims: [], data: Float32Array.of(c.attrs.float('value_float', 0)) } };
  if (c.attrs.has('value_floats')) return { kind: 'const', tensor: { dims: [], data: Float32Array.from(c.attrs.floats('value_floats') ?? []) } };
  if (c.attrs.has('value_int')) return shapeValue([c.attrs.int('value_int', 0)]);
  if (c.attrs.has('value_ints')) return shapeValue(c.attrs.ints('value_ints', []));
  return c.fail('only tensor, float and int constants are supported');
}

/** Add of an activation and a constant: the bias of the conv or dense layer that produced the activation. */
function foldBias(c: NodeContext, i: number, x: ActivationValue): Value {
  const layer = c.state.layer(x.layer);
  const b = c.floats(1 - i, 'the added constant');
  const channels = x.kind === 'image' ? x.shape[2] : x.size;
  const dims = c.constant(1 - i, 'the added constant').dims;
  const spread = dims.filter((d) => d !== 1);
  // The constant must broadcast along the channels: [C], [1, C] for flat values and NHWC, [C, 1, 1] for NCHW.
  const channelLast = dims[dims.length - 1] === channels;
  const fits =
    spread.length <= 1 &&
    b.length === channels &&
    (x.kind === 'flat' || (x.layout === 'nhwc' ? channelLast : dims.length >= 3 && dims[dims.length - 3] === channels));
  if (!fits) c.fail(`adds a constant of dims [${dims}] to a [${onnxDims(x)}] value; only a per-channel bias is supported`);
  if (!layer || (layer.kind !== 'conv2d' && layer.kind !== 'dense') || layer.useBias || !x.exclusive || c.consumersOf(i) !== 1) {
    c.fail(`adds a constant to '${x.layer}'; only a bias right after a Conv, Gemm or MatMul without one (used nowhere else) is supported`);
  }
  layer.useBias = true;
  c.state.weights[`${layer.name}/bias`] = tensor([channels], Float32Array.from(b));
  return c.alias(i, x);
}

function sameKind(c: NodeContext, values: ActivationValue[], what: string): void {
  const first = values[0]!;
  for (const v of values) {
    if (v.kind !== first.kind || (v.kind === 'image' && first.kind === 'image' && v.layout !== first.layout)) c.fail(`${what} values of different layouts`);
    if (v.kind === 'flat' && v.chw && v.chw[0] * v.chw[1] > 1) c.fail(`${what} a value flattened from NCHW; convzoo holds it in another order`);
  }
}

function add(c: NodeContext): Value {
  const [a, b] = [c.input(0), c.input(1)];
  if ((a.kind === 'image' || a.kind === 'flat') && (b.kind === 'const' || b.kind === 'shape')) return foldBias(c, 0, a);
  if ((b.kind === 'image' || b.kind === 'flat') && (a.kind === 'const' || a.kind === 'shape')) return foldBias(c, 1, b);
  const xs = [c.activation(0), c.activation(1)];
  sameKind(c, xs, 'adds');
  if (onnxDims(xs[0]!).join() !== onnxDims(xs[1]!).join()) c.fail(`adds [${onnxDims(xs[0]!)}] and [${onnxDims(xs[1]!)}]; broadcasting is not supported`);
  return { ...xs[0]!, layer: c.addLayer({ kind: 'add', name: c.name, inputs: xs.map((x) => x.layer) }), exclusive: true };
}

function concat(c: NodeContext): Value {
  const inputs = c.node.input.map((_, i) => c.input(i));
  const vectors = inputs.map(ints);
  if (vectors.every((v) => v !== undefined)) return shapeValue(vectors.flat());
  const xs = inputs.map((_, i) => c.activation(i));
  sameKind(c, xs, 'concatenates');
  const first = xs[0]!;
  let axis = c.attrs.int('axis', 1);
  if (axis < 0) axis += onnxDims(first).length;
  const channelAxis = first.kind === 'image' && first.layout === 'nhwc' ? 3 : 1;
  if (axis !== channelAxis) c.fail(`axis ${axis}: only concatenation along the channels is supported`);
  const name = c.addLayer({ kind: 'concat', name: c.name, inputs: xs.map((x) => x.layer), axis: -1 });
  if (first.kind === 'flat')
    return c.flat(
      name,
      xs.reduce((s, x) => s + (x.kind === 'flat' ? x.size : 0), 0),
      { pooled: first.pooled },
    );
  const channels = xs.reduce((s, x) => s + (x.kind === 'image' ? x.shape[2] : 0), 0);
  return { ...first, layer: name, exclusive: true, shape: [first.shape[0], first.shape[1], channels] };
}

export const GRAPH_OPS: Record<string, OpHandler> = {
  Identity: identity,
  Cast: cast,
  Transpose: transpose,
  Flatten: flatten,
  Reshape: reshape,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Shape: shape,
  Gather: gather,
  Constant: constant,
  Add: add,
  Concat: concat,
};
