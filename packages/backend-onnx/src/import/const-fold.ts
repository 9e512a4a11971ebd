// Constant folding of the small integer subgraphs exporters leave in a file: PyTorch writes F.pad's pads as
// ConstantOfShape -> Concat -> Reshape -> Slice (reversed) -> Transpose -> Reshape -> Cast, all on constants.
// A node whose inputs are all constants is evaluated here (when its op is below) instead of becoming a layer.
import type { NodeContext } from './import-context.js';
import { readTensor, type ConstTensor } from './onnx-read.js';

const size = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
const strides = (dims: number[]) => dims.map((_, i) => size(dims.slice(i + 1)));

function make(dims: number[], values: number[], float: boolean): ConstTensor {
  return { dims, data: float ? Float32Array.from(values) : values };
}

/** The values of a tensor at every index of `dims`, read through `index` (an output index -> an input offset). */
function gatherAll(t: ConstTensor, dims: number[], index: (at: number[]) => number): number[] {
  const out: number[] = [];
  const st = strides(dims);
  for (let flat = 0; flat < size(dims); flat++) out.push(t.data[index(st.map((s, i) => Math.floor(flat / s) % dims[i]!))]!);
  return out;
}

const isFloat = (t: ConstTensor) => t.data instanceof Float32Array;

/** Elementwise integer/float arithmetic with numpy broadcasting of a single value (Keras' 'same' pad arithmetic). */
function arithmetic(f: (a: number, b: number, float: boolean) => number) {
  return (c: NodeContext, [a, b]: ConstTensor[]): ConstTensor => {
    const [x, y] = [a!, b!];
    const n = Math.max(x.data.length, y.data.length);
    if (x.data.length !== n && x.data.length !== 1)
      c.fail(`folds constants of ${x.data.length} and ${y.data.length} values; only equal sizes or a single value broadcast`);
    if (y.data.length !== n && y.data.length !== 1)
      c.fail(`folds constants of ${x.data.length} and ${y.data.length} values; only equal sizes or a single value broadcast`);
    const float = isFloat(x) || isFloat(y);
    const values = Array.from({ length: n }, (_, i) => f(Number(x.data[x.data.length === 1 ? 0 : i]), Number(y.data[y.data.length === 1 ? 0 : i]), float));
    return make(x.data.length >= y.data.length ? x.dims : y.dims, values, float);
  };
}

const FOLD: Record<string, (c: NodeContext, ins: ConstTensor[]) => ConstTensor> = {
  Add: arithmetic((a, b) => a + b),
  Sub: arithmetic((a, b) => a - b),
  Mul: arithmetic((a, b) => a * b),
  // ONNX's integer Div truncates toward zero.
  Div: arithmetic((a, b, float) => (float ? a / b : Math.trunc(a / b))),
  ConstantOfShape(c, [shape]) {
    const v = c.attrs.tensor('value');
    const fill = v ? readTensor(v, `node '${c.name}'`) : { dims: [1], data: Float32Array.of(0) };
    const dims = [...shape!.data].map(Number);
    return make(dims, new Array<number>(size(dims)).fill(Number(fill.data[0] ?? 0)), isFloat(fill));
  },
  Concat(c, ins) {
    let axis = c.attrs.int('axis', 0);
    const rank = ins[0]!.dims.length;
    if (axis < 0) axis += rank;
    const dims = [...ins[0]!.dims];
    dims[axis] = ins.reduce((s, t) => s + (t.dims[axis] ?? 1), 0);
    const outer = size(dims.slice(0, axis));
    const values: number[] = [];
    for (let o = 0; o < outer; o++) {
      for (const t of ins) {
        const block = size(t.dims.slice(axis));
        for (let i = 0; i < block; i++) values.push(Number(t.data[o * block + i]));
      }
    }
    return make(rank === 0 ? [values.length] : dims, values, isFloat(ins[0]!));
  },
  Reshape(_c, [data, shape]) {
    const want = [...shape!.data].map(Number).map((d, i) => (d === 0 ? data!.dims[i]! : d));
    const known = want.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    return { dims: want.map((d) => (d === -1 ? size(data!.dims) / known : d)), data: data!.data };
  },
  Transpose(c, [data]) {
    const rank = data!.dims.length;
    const perm = c.attrs.ints('perm', [...Array(rank).keys()].reverse());
    const dims = perm.map((p) => data!.dims[p]!);
    const st = strides(data!.dims);
    return make(
      dims,
      gatherAll(data!, dims, (at) => at.reduce((s, v, i) => s + v * st[perm[i]!]!, 0)),
      isFloat(data!),
    );
  },
  Slice(c, [data, starts, ends, axesT, stepsT]) {
    const rank = data!.dims.length;
    const axes = axesT ? [...axesT.data].map(Number).map((a) => (a < 0 ? a + rank : a)) : [...Array(starts!.data.length).keys()];
    const steps = stepsT ? [...stepsT.data].map(Number) : axes.map(() => 1);
    const begin = data!.dims.map(() => 0);
    const step = data!.dims.map(() => 1);
    const dims = [...data!.dims];
    axes.forEach((a, i) => {
      const n = data!.dims[a]!;
      const s = steps[i]!;
      if (s === 0) c.fail('a Slice step of 0');
      const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
      const from = s > 0 ? clamp(Number(starts!.data[i]), 0, n) : clamp(Number(starts!.data[i]), -1, n - 1);
      const to = s > 0 ? clamp(Number(ends!.data[i]), 0, n) : clamp(Number(ends!.data[i]), -1, n - 1);
      begin[a] = from;
      step[a] = s;
      dims[a] = Math.max(0, Math.ceil((to - from) / s));
    });
    const st = strides(data!.dims);
    return make(
      dims,
      gatherAll(data!, dims, (at) => at.reduce((sum, v, i) => sum + (begin[i]! + v * step[i]!) * st[i]!, 0)),
      isFloat(data!),
    );
  },
  Cast(c, [data]) {
    const to = c.attrs.int('to', 1);
    const float = to === 1 || to === 10 || to === 11;
    return make(
      data!.dims,
      [...data!.data].map((v) => (float ? Number(v) : Math.trunc(Number(v)))),
      float,
    );
  },
  Identity: (_c, [data]) => data!,
  Shape(c, [data]) {
    const dims = data!.dims;
    const at = (a: number) => (a < 0 ? a + dims.length : a);
    const picked = dims.slice(at(c.attrs.int('start', 0)), c.attrs.has('end') ? at(c.attrs.int('end', dims.length)) : dims.length);
    return make([picked.length], picked, false);
  },
  Unsqueeze(c, [data, axesT]) {
    const axes = c.opset >= 13 ? [...(axesT?.data ?? [])].map(Number) : c.attrs.ints('axes', []);
    const dims = [...data!.dims];
    const rank = dims.length + axes.length;
    for (const a of axes.map((a) => (a < 0 ? a + rank : a)).sort((x, y) => x - y)) dims.splice(a, 0, 1);
    return { dims, data: data!.data };
  },
  Squeeze(c, [data, axesT]) {
    const rank = data!.dims.length;
    const axes = (c.opset >= 13 ? [...(axesT?.data ?? [])].map(Number) : c.attrs.ints('axes', [])).map((a) => (a < 0 ? a + rank : a));
    return { dims: data!.dims.filter((d, i) => (axes.length === 0 ? d !== 1 : !axes.includes(i))), data: data!.data };
  },
};

/** The ops a constant-only node may be. */
export const FOLDABLE_OPS = Object.keys(FOLD);

/** The node's constant output when every input is a constant and the op folds; undefined otherwise. */
export function foldConstant(c: NodeContext): ConstTensor | undefined {
  const fold = FOLD[c.node.op_type];
  if (!fold) return undefined;
  const ins: ConstTensor[] = [];
  for (let i = 0; i < c.node.input.length; i++) {
    if (!c.has(i)) {
      ins.push(undefined as unknown as ConstTensor);
      continue;
    }
    const v = c.input(i);
    if (v.kind === 'const') ins.push(v.tensor);
    else if (v.kind === 'shape' && v.dims.every((d) => d !== 'batch')) ins.push({ dims: [v.dims.length], data: v.dims as number[] });
    else return undefined;
  }
  return fold(c, ins);
}
