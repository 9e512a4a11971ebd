// ONNX ops that become convzoo layers, each layer named after its node; parameters are converted to convzoo's
// (Keras) layout: conv kernels OIHW -> [kh, kw, in/groups, out], dense kernels [in, out] with rows in (h, w, c) order.
import { tensor } from '@convzoo/backend';
import type { ActivationName } from '@convzoo/models';
import type { NodeContext } from './import-context.js';
import { pair, resolveWindow } from './windows.js';
import type { ActivationValue, FlatValue, Value } from './values.js';

export type OpHandler = (c: NodeContext) => Value | Value[];

/** OIHW (ONNX) -> HWIO (convzoo). */
function oihwToHwio(w: Float32Array, [o, i, kh, kw]: number[]): Float32Array {
  const out = new Float32Array(w.length);
  for (let a = 0; a < o!; a++)
    for (let b = 0; b < i!; b++)
      for (let y = 0; y < kh!; y++) for (let x = 0; x < kw!; x++) out[((y * kw! + x) * i! + b) * o! + a] = w[((a * i! + b) * kh! + y) * kw! + x]!;
  return out;
}

/** The same activation under a new layer (elementwise layers keep shape and layout). */
function through<V extends ActivationValue>(v: V, layer: string): V {
  return { ...v, layer, exclusive: true };
}

function conv(c: NodeContext): Value {
  const x = c.nchw(0);
  const w = c.constant(1, 'the weight W');
  if (w.dims.length !== 4) c.fail(`weight W has dims [${w.dims}]; only 2-D convolutions are supported`);
  const [filters, perGroup, kh, kw] = w.dims as [number, number, number, number];
  const groups = c.attrs.int('group', 1);
  if (x.shape[2] !== perGroup * groups) c.fail(`weight W [${w.dims}] with group ${groups} does not fit the ${x.shape[2]} input channels`);
  const strides = pair(c, 'strides', [1, 1]);
  const dilation = pair(c, 'dilations', [1, 1]);
  const { padding, out } = resolveWindow(c, x.shape, [kh, kw], strides, dilation);
  const params = { kernel: tensor([kh, kw, perGroup, filters], oihwToHwio(c.floats(1, 'W'), w.dims)) };
  const useBias = c.has(2);
  const name = c.addLayer(
    { kind: 'conv2d', name: c.name, inputs: [x.layer], filters, kernelSize: [kh, kw], strides, padding, dilation, groups, useBias, activation: 'linear' },
    useBias ? { ...params, bias: tensor([filters], c.floats(2, 'the bias B')) } : params,
  );
  return c.image(name, [out[0], out[1], filters]);
}

/** A 2-D activation a dense layer can read (not a pooled [N, C, 1, 1] one). */
function flatInput(c: NodeContext): FlatValue {
  const a = c.activation(0);
  if (a.kind !== 'flat' || a.pooled) c.fail(`needs a 2-D [N, features] input; flatten the image first (got a rank-4 value)`);
  return a;
}

/** A dense layer from a kernel [in, out] in ONNX's row order, reordering rows when the input was flattened from NCHW. */
function dense(c: NodeContext, a: FlatValue, kernel: Float32Array, units: number, bias?: Float32Array): Value {
  let k = kernel;
  if (a.chw && a.chw[0] * a.chw[1] > 1) {
    const [h, w, ch] = a.chw;
    k = new Float32Array(kernel.length);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let z = 0; z < ch; z++)
          k.set(kernel.subarray((z * h * w + y * w + x) * units, (z * h * w + y * w + x + 1) * units), ((y * w + x) * ch + z) * units);
  }
  const params = { kernel: tensor([a.size, units], k), ...(bias ? { bias: tensor([units], bias) } : {}) };
  const name = c.addLayer({ kind: 'dense', name: c.name, inputs: [a.layer], units, useBias: bias !== undefined, activation: 'linear' }, params);
  return c.flat(name, units);
}

function gemm(c: NodeContext): Value {
  const a = flatInput(c);
  if (c.attrs.int('transA', 0) !== 0) c.fail('transA = 1 is not supported (the activation must be A)');
  const b = c.constant(1, 'B');
  if (b.dims.length !== 2) c.fail(`B has dims [${b.dims}], expected 2-D`);
  const transB = c.attrs.int('transB', 0) === 1;
  const [rows, cols] = b.dims as [number, number];
  const [inF, units] = transB ? [cols, rows] : [rows, cols];
  if (inF !== a.size) c.fail(`B [${b.dims}] does not fit the ${a.size} input features`);
  const alpha = c.attrs.float('alpha', 1);
  const data = c.floats(1, 'B');
  const kernel = new Float32Array(inF * units);
  for (let i = 0; i < inF; i++) for (let o = 0; o < units; o++) kernel[i * units + o] = alpha * data[transB ? o * inF + i : i * units + o]!;
  let bias: Float32Array | undefined;
  if (c.has(2)) {
    const beta = c.attrs.float('beta', 1);
    const cData = c.floats(2, 'C');
    if (cData.length !== units && cData.length !== 1)
      c.fail(`C has ${cData.length} values; only a bias broadcast over the batch ([${units}] or a scalar) is supported`);
    bias = Float32Array.from({ length: units }, (_, o) => beta * cData[cData.length === 1 ? 0 : o]!);
  }
  return dense(c, a, kernel, units, bias);
}

function matMul(c: NodeContext): Value {
  const a = flatInput(c);
  const b = c.constant(1, 'B');
  if (b.dims.length !== 2 || b.dims[0] !== a.size) c.fail(`B has dims [${b.dims}]; expected [${a.size}, units]`);
  return dense(c, a, c.floats(1, 'B'), b.dims[1]!);
}

function batchNorm(c: NodeContext): Value {
  const x = c.activation(0);
  if (x.kind === 'image' && x.layout !== 'nchw') c.nchw(0);
  if (x.kind === 'flat' && (x.pooled || (x.chw && x.chw[0] * x.chw[1] > 1)))
    c.fail('normalises a flattened NCHW image; only images and plain feature vectors are supported');
  const channels = x.kind === 'image' ? x.shape[2] : x.size;
  const vec = (i: number, what: string) => {
    const v = c.floats(i, what);
    if (v.length !== channels) c.fail(`${what} has ${v.length} values for ${channels} channels`);
    return tensor([channels], v);
  };
  const params = { gamma: vec(1, 'scale'), beta: vec(2, 'B'), moving_mean: vec(3, 'input_mean'), moving_variance: vec(4, 'input_var') };
  const epsilon = c.attrs.float('epsilon', 1e-5);
  // ONNX's momentum has Keras' meaning (running = running * momentum + batch * (1 - momentum)); PyTorch 0.1 is 0.9.
  const momentum = c.attrs.float('momentum', 0.9);
  return through(x, c.addLayer({ kind: 'batchNorm', name: c.name, inputs: [x.layer], epsilon, momentum, center: true, scale: true }, params));
}

function activation(kind: ActivationName): (c: NodeContext) => Value {
  return (c) => {
    const x = c.activation(0);
    return through(x, c.addLayer({ kind: 'activation', name: c.name, inputs: [x.layer], activation: kind }));
  };
}

function clip(c: NodeContext): Value {
  const bound = (i: number, attr: string, fallback: number) => {
    if (c.opset < 11) return c.attrs.float(attr, fallback);
    return c.has(i) ? c.floats(i, attr)[0]! : fallback;
  };
  const [lo, hi] = [bound(1, 'min', -Infinity), bound(2, 'max', Infinity)];
  if (lo === 0 && hi === Infinity) return activation('relu')(c);
  if (lo === 0 && hi === 6) return activation('relu6')(c);
  return c.fail(`Clip(${lo}, ${hi}) has no convzoo activation (Clip(0, inf) is relu, Clip(0, 6) relu6)`);
}

function softmax(c: NodeContext): Value {
  const x = c.activation(0);
  const rank = x.kind === 'image' || x.pooled ? 4 : 2;
  let axis = c.attrs.int('axis', c.opset >= 13 ? -1 : 1);
  if (axis < 0) axis += rank;
  // convzoo's softmax runs over the channels (a flat value's features, in any order). Before opset 13 ONNX's ran over
  // every axis from `axis` on: the same only when no spatial axis follows the channels.
  const channelAxis = x.kind === 'image' && x.layout === 'nhwc' ? 3 : 1;
  const spatialAfter = x.kind === 'image' && x.layout === 'nchw' && x.shape[0] * x.shape[1] > 1;
  if (axis !== channelAxis || (c.opset < 13 && spatialAfter)) {
    c.fail(`softmax over axis ${axis} of a rank-${rank} value; convzoo's softmax runs over the channels only`);
  }
  return through(x, c.addLayer({ kind: 'activation', name: c.name, inputs: [x.layer], activation: 'softmax' }));
}

function dropout(c: NodeContext): Value[] {
  const x = c.activation(0);
  const rate = c.opset >= 12 ? (c.has(1) ? c.floats(1, 'ratio')[0]! : 0.5) : c.attrs.float('ratio', 0.5);
  const out = through(x, c.addLayer({ kind: 'dropout', name: c.name, inputs: [x.layer], rate }));
  return [out];
}

function lrn(c: NodeContext): Value {
  const x = c.nchw(0);
  const size = c.attrs.int('size', 0);
  if (size % 2 !== 1) c.fail(`size ${size}: only odd sizes (a window centred on the channel) are supported`);
  // ONNX divides alpha by size and sums over size channels; TensorFlow's depth radius r sums over 2r + 1.
  const layer = {
    kind: 'lrn' as const,
    name: c.name,
    inputs: [x.layer],
    depthRadius: (size - 1) / 2,
    bias: c.attrs.float('bias', 1),
    alpha: c.attrs.float('alpha', 1e-4) / size,
    beta: c.attrs.float('beta', 0.75),
  };
  return through(x, c.addLayer(layer));
}

function pool(kind: 'maxPool2d' | 'avgPool2d'): OpHandler {
  return (c) => {
    const x = c.nchw(0);
    const poolSize = pair(c, 'kernel_shape', [0, 0]);
    const strides = pair(c, 'strides', [1, 1]);
    const dilation = pair(c, 'dilations', [1, 1]);
    if (dilation[0] !== 1 || dilation[1] !== 1) c.fail(`dilations ${dilation}: dilated pooling is not supported`);
    if (c.attrs.int('storage_order', 0) !== 0) c.fail('storage_order 1 is not supported');
    let input = x.layer;
    let shape = x.shape;
    const explicit = c.attrs.ints('pads', [0, 0, 0, 0]);
    let padsGiven: number[] | undefined;
    if (kind === 'avgPool2d' && c.attrs.int('count_include_pad', 0) === 1 && explicit.some((p) => p > 0)) {
      // convzoo averages over real cells only (TensorFlow); counting the pads is a zero padding before a valid pool.
      const [top, left, bottom, right] = explicit as [number, number, number, number];
      input = c.addLayer({ kind: 'zeroPad2d', name: c.state.layerName(`${c.name}/pad`), inputs: [x.layer], padding: { top, bottom, left, right } });
      shape = [shape[0] + top + bottom, shape[1] + left + right, shape[2]];
      padsGiven = [0, 0, 0, 0];
    }
    const { padding, out } = resolveWindow(c, shape, poolSize, strides, [1, 1], padsGiven);
    const name = c.addLayer({ kind, name: c.name, inputs: [input], poolSize, strides, padding });
    return c.image(name, [out[0], out[1], shape[2]]);
  };
}

function globalAvgPool(c: NodeContext): Value {
  const x = c.nchw(0);
  return c.flat(c.addLayer({ kind: 'globalAvgPool2d', name: c.name, inputs: [x.layer] }), x.shape[2], { pooled: true });
}

function pad(c: NodeContext): Value {
  const x = c.activation(0);
  if (x.kind !== 'image') c.fail('pads a 2-D value; only image (H, W) padding is supported');
  const mode = c.attrs.string('mode', 'constant');
  if (mode !== 'constant') c.fail(`mode '${mode}': only constant (zero) padding is supported`);
  const pads = c.opset >= 11 ? (c.constant(1, 'pads').data as number[]).map(Number) : c.attrs.ints('pads', []);
  const value = c.opset >= 11 ? (c.has(2) ? c.floats(2, 'constant_value')[0]! : 0) : c.attrs.float('value', 0);
  if (value !== 0) c.fail(`constant_value ${value}: only zero padding is supported`);
  let axes = [0, 1, 2, 3];
  if (c.has(3)) axes = (c.constant(3, 'axes').data as number[]).map((a) => (a < 0 ? a + 4 : a));
  const before = [0, 0, 0, 0];
  const after = [0, 0, 0, 0];
  axes.forEach((a, i) => {
    before[a] = pads[i]!;
    after[a] = pads[i + axes.length]!;
  });
  const [hAxis, wAxis] = x.layout === 'nchw' ? [2, 3] : [1, 2];
  const other = [0, 1, 2, 3].filter((a) => a !== hAxis && a !== wAxis);
  if (other.some((a) => before[a] !== 0 || after[a] !== 0) || [...before, ...after].some((p) => p < 0)) {
    c.fail(`pads ${JSON.stringify(pads)}: only non-negative padding of height and width is supported`);
  }
  const padding = { top: before[hAxis]!, bottom: after[hAxis]!, left: before[wAxis]!, right: after[wAxis]! };
  const name = c.addLayer({ kind: 'zeroPad2d', name: c.name, inputs: [x.layer], padding });
  return { ...x, layer: name, exclusive: true, shape: [x.shape[0] + padding.top + padding.bottom, x.shape[1] + padding.left + padding.right, x.shape[2]] };
}

export const LAYER_OPS: Record<string, OpHandler> = {
  Conv: conv,
  Gemm: gemm,
  MatMul: matMul,
  BatchNormalization: batchNorm,
  Relu: activation('relu'),
  Sigmoid: activation('sigmoid'),
  Tanh: activation('tanh'),
  Clip: clip,
  Softmax: softmax,
  Dropout: dropout,
  LRN: lrn,
  MaxPool: pool('maxPool2d'),
  AveragePool: pool('avgPool2d'),
  GlobalAveragePool: globalAvgPool,
  Pad: pad,
};
