// Forward (training or inference mode) and backward emitters, one table entry per layer kind. Activations are NCHW
// ([N, C, H, W]) or [N, n]; spec shapes (NHWC without batch) arrive in the contexts. Parameters are the graph inputs
// `param:<layer>/<param>` (conv kernels OIHW).
import { dispatchKind, type ActivationName, type FeatureShape, type KindTable, type Layer, type LayerKind } from '@convzoo/models';
import type { AttrValue, GraphBuilder } from '../export/graph-builder.js';
import { onnxPads } from '../export/layout.js';
import { IO } from './io.js';
import { im2colWeightGrad } from './im2col.js';
import { phasedConvBackward, phasedConvForward, phasedPoolBackward, phasedPoolForward } from './phased-pool.js';

type SpecLayer = Exclude<Layer, { kind: 'input' }>;

export interface Ctx {
  g: GraphBuilder;
  /** Adds a node with one output named after it (made unique) and returns that output. */
  op(type: string, name: string, inputs: string[], attrs?: Record<string, AttrValue>): string;
  /** Adds a node with several outputs named `<name>/<i>`. */
  ops(type: string, name: string, inputs: string[], count: number, attrs?: Record<string, AttrValue>): string[];
  scalar(v: number): string;
  ints(v: number[]): string;
  floats(name: string, dims: number[], data: Float32Array): string;
  /** v where x is inside its clip (clipped = Clip(x) equals x), else 0: tf.clipByValue's gradient. */
  clipGrad(prefix: string, x: string, clipped: string, v: string): string;
  /** 1 where a == b, else 0, as float32 (see floatEqual). */
  floatEqual(prefix: string, a: string, b: string): string;
  param(name: string): string;
}

export function makeCtx(g: GraphBuilder, _paramShapes: Map<string, number[]>): Ctx {
  const used = new Set<string>();
  const unique = (name: string) => {
    let n = name;
    for (let k = 1; used.has(n); k++) n = `${name}#${k}`;
    used.add(n);
    return n;
  };
  const scalars = new Map<number, string>();
  const intConsts = new Map<string, string>();
  const c: Ctx = {
    g,
    op(type, name, inputs, attrs = {}) {
      const n = unique(name);
      g.node(type, n, inputs, [n], attrs);
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
    param: (name) => IO.param(name),
  };
  return c;
}

/**
 * WebGPU binds each input and output of a kernel as a storage buffer, and browsers grant 8 per shader stage by
 * default: past that, onnxruntime-web's kernel computes nothing, without an error (a 3x3 max pool's 9-way Concat did).
 * Every node of a training graph stays within it (test/webgpu-graphs.test.ts).
 */
export const WEBGPU_MAX_BINDINGS = 8;

/** Concat along `axis`, as a tree of Concats that each bind at most WEBGPU_MAX_BINDINGS tensors. */
function concatTree(c: Ctx, values: string[], axis: number, name: string): string {
  const wide = WEBGPU_MAX_BINDINGS - 1;
  if (values.length <= wide) return c.op('Concat', name, values, { axis });
  const groups = Array.from({ length: Math.ceil(values.length / wide) }, (_, i) => values.slice(i * wide, (i + 1) * wide));
  return concatTree(
    c,
    groups.map((g, i) => (g.length === 1 ? g[0]! : c.op('Concat', `${name}/${i}`, g, { axis }))),
    axis,
    name,
  );
}

/** How max pooling's backward pass finds each window's winner; false: recomputed from x and y. */
export type PoolIndices = false | 'scatter' | 'unpool';

export interface ForwardArgs {
  inputs: string[];
  inputShapes: FeatureShape[];
  training: boolean;
  /** Name of this layer's dropout mask input (training). */
  mask: string;
  /**
   * Max pooling may return its arg-max (MaxPool's Indices output; the WebGPU EP has none), for MaxUnpool where windows
   * do not overlap ('unpool': the CPU EP has it) or ScatterElements ('scatter', and overlapping windows).
   */
  poolIndices?: PoolIndices;
  /** A conv and the 2x2 max pool reading it, computed by window phases (phased-pool.ts; training on the CPU EP). */
  phased?: boolean;
}

export interface ForwardResult {
  output: string;
  /** Values the backward emitter reads (by key). */
  saved: Record<string, string>;
  /** BatchNorm moving statistics: [param name, new value]. */
  updates?: [string, string][];
}

export interface BackwardArgs {
  dy: string;
  inputs: string[];
  inputShapes: FeatureShape[];
  output: string;
  saved: Record<string, string>;
  /** Which inputs need a gradient (false: the input of the graph, or nothing trainable upstream). */
  needInput: boolean[];
  trainable: boolean;
  /** This layer's relu mask was already applied to dy (by the max pool reading it: see foldRelu). */
  reluApplied?: boolean;
  /** Max pooling: apply the input's relu mask to dy at pooled resolution (the arg-max cell is where y_in = y_out). */
  foldRelu?: boolean;
  /** Conv dW as one 3-D Conv (CPU/CUDA/WASM); else a 2-D Conv over transposed tensors (onnxruntime-web's WebGPU 3-D Conv supports no padding). */
  dw3d?: boolean;
  /** Conv dx as MatMul + Col2Im (the CPU EP, also in WASM); else ConvTranspose (CUDA and WebGPU have no Col2Im kernel). */
  col2im?: boolean;
  /** As ForwardArgs.phased: dy and the gradient handed on are in the window-phase layout. */
  phased?: boolean;
}

export interface BackwardResult {
  /** Gradient of each input (undefined when not needed). */
  dx: (string | undefined)[];
  /** Gradients of this layer's trainable params, by param short name (`kernel`, `bias`, `gamma`, `beta`). */
  params?: Record<string, string>;
}

const softmaxAxis = (rank: number) => (rank === 4 ? 1 : -1);

function activate(c: Ctx, kind: ActivationName, x: string, name: string, rank: number): string {
  switch (kind) {
    case 'linear':
      return x;
    case 'relu':
      return c.op('Relu', `${name}/relu`, [x]);
    case 'sigmoid':
      return c.op('Sigmoid', `${name}/sigmoid`, [x]);
    case 'tanh':
      return c.op('Tanh', `${name}/tanh`, [x]);
    case 'softmax':
      return c.op('Softmax', `${name}/softmax`, [x], { axis: softmaxAxis(rank) });
  }
}

/**
 * tf: dy where y > 0. y >= 0, so min(ceil(y), 1) is that mask, 0 or 1 exactly, in three streaming float ops (ORT's CPU
 * Sign is a scalar loop and its Where 1.5 ns a cell: on LeNet's pooled relu Sign + Mul took 0.72 ms, Cast + Where
 * 0.67, Ceil + Min + Mul 0.28), and no boolean tensor (see floatEqual).
 */
function reluGrad(c: Ctx, y: string, dy: string, name: string): string {
  return c.op('Mul', `${name}/drelu`, [dy, c.op('Min', `${name}/y>0`, [c.op('Ceil', `${name}/ceil`, [y]), c.scalar(1)])]);
}

/** dL/d(pre-activation) from dL/dy and y = act(pre-activation). */
function activationGrad(c: Ctx, kind: ActivationName, y: string, dy: string, name: string, rank: number): string {
  switch (kind) {
    case 'linear':
      return dy;
    case 'relu':
      return reluGrad(c, y, dy, name);
    case 'sigmoid':
      return c.op('Mul', `${name}/dsigmoid`, [dy, c.op('Mul', `${name}/y(1-y)`, [y, c.op('Sub', `${name}/1-y`, [c.scalar(1), y])])]);
    case 'tanh':
      return c.op('Mul', `${name}/dtanh`, [dy, c.op('Sub', `${name}/1-y2`, [c.scalar(1), c.op('Mul', `${name}/y2`, [y, y])])]);
    case 'softmax': {
      const axis = c.ints([softmaxAxis(rank)]);
      const dot = c.op('ReduceSum', `${name}/dy.y`, [c.op('Mul', `${name}/dy*y`, [dy, y]), axis], { keepdims: 1 });
      return c.op('Mul', `${name}/dsoftmax`, [y, c.op('Sub', `${name}/dy-dot`, [dy, dot])]);
    }
  }
}

const NCHW_SPATIAL = [0, 2, 3];

/** Max pooling whose windows tile the input exactly (stride = pool size, no padding, sizes divide). */
function tiles(layer: Extract<SpecLayer, { kind: 'maxPool2d' | 'avgPool2d' }>, [h, w]: FeatureShape): boolean {
  const [kh, kw] = layer.poolSize;
  const pads = onnxPads(layer.padding, [h!, w!], layer.poolSize, layer.strides, [1, 1]);
  return layer.strides[0] === kh && layer.strides[1] === kw && pads.every((p) => p === 0) && h! % kh === 0 && w! % kw === 0;
}

/** Cells of [0, size) each window of an (unpadded-count) pool covers: TensorFlow's average divisor. */
function windowCounts(size: number, kernel: number, stride: number, padBefore: number, outSize: number): number[] {
  return Array.from({ length: outSize }, (_, o) => {
    const start = o * stride - padBefore;
    return Math.min(start + kernel, size) - Math.max(start, 0);
  });
}

function outSize(size: number, kernel: number, stride: number, dilation: number, before: number, after: number): number {
  return Math.floor((size + before + after - ((kernel - 1) * dilation + 1)) / stride) + 1;
}

/** Keras Resizing (tf.image.resize, half-pixel centres, no antialias) along one axis as an [out, in] matrix. */
function resizeMatrix(inSize: number, out: number, method: 'bilinear' | 'nearest'): Float32Array {
  const m = new Float32Array(out * inSize);
  const scale = inSize / out;
  for (let i = 0; i < out; i++) {
    if (method === 'nearest') {
      m[i * inSize + Math.min(Math.floor((i + 0.5) * scale), inSize - 1)] = 1;
      continue;
    }
    const src = (i + 0.5) * scale - 0.5;
    const f = Math.floor(src);
    const lower = Math.max(f, 0);
    const upper = Math.min(Math.ceil(src), inSize - 1);
    const lerp = src - f;
    m[i * inSize + lower]! += 1 - lerp;
    m[i * inSize + upper]! += lerp;
  }
  return m;
}

function transpose2d(m: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) for (let k = 0; k < cols; k++) t[k * rows + r] = m[r * cols + k]!;
  return t;
}

/** Sum over a channel window [c - r, c + r] of an NCHW value (LRN), as a 1-channel conv over a [N, 1, C, H*W] view. */
function channelWindowSum(c: Ctx, v: string, name: string, shape: FeatureShape, r: number): string {
  const [h, w, ch] = shape as [number, number, number];
  const view = c.op('Reshape', `${name}/view`, [v, c.ints([0, 1, ch, h * w])]);
  const size = 2 * r + 1;
  const ones = c.floats(`${name}/ones`, [1, 1, size, 1], new Float32Array(size).fill(1));
  const sum = c.op('Conv', `${name}/winsum`, [view, ones], { kernel_shape: [size, 1], pads: [r, 0, r, 0] });
  return c.op('Reshape', `${name}/back`, [sum, c.ints([0, ch, h, w])]);
}

type PoolLayer = Extract<SpecLayer, { kind: 'maxPool2d' | 'avgPool2d' }>;
type ForwardLocals = { x: string; inShape: FeatureShape; n: string; p: (name: string) => string };

function poolForward(layer: PoolLayer, c: Ctx, a: ForwardArgs, { x, inShape, n }: ForwardLocals): ForwardResult {
  const pads = onnxPads(layer.padding, inShape, layer.poolSize, layer.strides, [1, 1]);
  const attrs = { kernel_shape: [...layer.poolSize], strides: [...layer.strides], pads };
  if (layer.kind === 'avgPool2d') return { output: c.op('AveragePool', `${n}/avgpool`, [x], { ...attrs, count_include_pad: 0 }), saved: {} };
  if (!a.training) return { output: c.op('MaxPool', `${n}/maxpool`, [x], attrs), saved: {} };
  if (a.phased) return phasedPoolForward(c, n, x);
  if (a.poolIndices) {
    // The runtime's own arg-max (flat NCHW index of the first maximal cell, TensorFlow's choice on ties): the
    // backward pass scatters dy there, one op, overlapping windows adding up.
    const [y, indices] = c.ops('MaxPool', `${n}/maxpool`, [x], 2, attrs);
    // Windows that do not overlap: each input cell wins at most one window, so MaxUnpool (one write per pooled cell
    // into zeros) is the whole gradient.
    const disjoint = layer.strides[0] >= layer.poolSize[0] && layer.strides[1] >= layer.poolSize[1];
    return { output: y!, saved: a.poolIndices === 'unpool' && disjoint ? { unpool: indices! } : { indices: indices! } };
  }
  if (tiles(layer, inShape)) {
    // Non-overlapping windows that tile the input: MLAS MaxPool for y, and the first arg-max of each window
    // (TensorFlow's choice on ties) from a [N, C, Ho, Wo, kh*kw] view, for the backward pass.
    const [h, w, ch] = inShape as [number, number, number];
    const [kh, kw] = layer.poolSize;
    const win = c.op('Reshape', `${n}/win`, [
      c.op('Transpose', `${n}/winT`, [c.op('Reshape', `${n}/blocks`, [x, c.ints([0, ch, h / kh, kh, w / kw, kw])])], { perm: [0, 1, 2, 4, 3, 5] }),
      c.ints([0, ch, h / kh, w / kw, kh * kw]),
    ]);
    const arg = c.op('ArgMax', `${n}/argmax`, [win], { axis: -1, keepdims: 1, select_last_index: 0 });
    return { output: c.op('MaxPool', `${n}/maxpool`, [x], attrs), saved: { arg } };
  }
  // Overlapping or padded windows: the backward pass recomputes which cell won (no Indices output: WebGPU has none).
  return { output: c.op('MaxPool', `${n}/maxpool`, [x], attrs), saved: {} };
}

/** One forward emitter per layer kind (training or inference mode; training saves what the gradients read). */
export const FORWARD_EMITTERS: KindTable<[c: Ctx, a: ForwardArgs, locals: ForwardLocals], ForwardResult, Exclude<LayerKind, 'input'>> = {
  conv2d(layer, c, a, { x, inShape, n, p }): ForwardResult {
    if (a.phased) return phasedConvForward(c, layer, x, inShape, p);
    const [kh, kw] = layer.kernelSize;
    const ins = [x, p('kernel')];
    if (layer.useBias) ins.push(p('bias'));
    const z = c.op('Conv', `${n}/conv`, ins, {
      kernel_shape: [kh, kw],
      strides: [...layer.strides],
      dilations: [...layer.dilation],
      group: layer.groups,
      pads: onnxPads(layer.padding, inShape, layer.kernelSize, layer.strides, layer.dilation),
    });
    return { output: activate(c, layer.activation, z, n, 4), saved: {} };
  },
  dense(layer, c, _a, { x, n, p }): ForwardResult {
    const ins = [x, p('kernel')];
    if (layer.useBias) ins.push(p('bias'));
    const z = c.op('Gemm', `${n}/gemm`, ins);
    return { output: activate(c, layer.activation, z, n, 2), saved: {} };
  },
  maxPool2d: (layer, c, a, locals) => poolForward(layer, c, a, locals),
  avgPool2d: (layer, c, a, locals) => poolForward(layer, c, a, locals),
  globalAvgPool2d(_layer, c, _a, { x, n }): ForwardResult {
    return { output: c.op('Flatten', `${n}/flatten`, [c.op('GlobalAveragePool', `${n}/gap`, [x])], { axis: 1 }), saved: {} };
  },
  zeroPad2d(layer, c, _a, { x, n }): ForwardResult {
    const { top, bottom, left, right } = layer.padding;
    return { output: c.op('Pad', `${n}/pad`, [x, c.ints([0, 0, top, left, 0, 0, bottom, right])], { mode: 'constant' }), saved: {} };
  },
  batchNorm(layer, c, a, { x, inShape, n, p }): ForwardResult {
    const ch = inShape[inShape.length - 1]!;
    const rank4 = inShape.length === 3;
    const shaped = (v: string) => (rank4 ? c.op('Reshape', `${v}/nc11`, [v, c.ints([1, ch, 1, 1])]) : v);
    const gamma = layer.scale ? shaped(p('gamma')) : undefined;
    const beta = layer.center ? shaped(p('beta')) : undefined;
    if (!a.training || layer.trainable === false) {
      // Inference mode (also a frozen layer in training, as in Keras).
      const inv = c.op('Reciprocal', `${n}/inv`, [
        c.op('Sqrt', `${n}/std`, [c.op('Add', `${n}/var+eps`, [shaped(p('moving_variance')), c.scalar(layer.epsilon)])]),
      ]);
      const scale = gamma ? c.op('Mul', `${n}/scale`, [inv, gamma]) : inv;
      let y = c.op('Mul', `${n}/xs`, [c.op('Sub', `${n}/xc`, [x, shaped(p('moving_mean'))]), scale]);
      if (beta) y = c.op('Add', `${n}/y`, [y, beta]);
      return { output: y, saved: { scale } };
    }
    const axes = rank4 ? NCHW_SPATIAL : [0];
    const mean = c.op('ReduceMean', `${n}/mean`, [x, c.ints(axes)], { keepdims: 1 });
    const xc = c.op('Sub', `${n}/xc`, [x, mean]);
    const variance = c.op('ReduceMean', `${n}/var`, [c.op('Mul', `${n}/xc2`, [xc, xc]), c.ints(axes)], { keepdims: 1 });
    const inv = c.op('Reciprocal', `${n}/inv`, [c.op('Sqrt', `${n}/std`, [c.op('Add', `${n}/var+eps`, [variance, c.scalar(layer.epsilon)])])]);
    const xhat = c.op('Mul', `${n}/xhat`, [xc, inv]);
    let y = gamma ? c.op('Mul', `${n}/xg`, [xhat, gamma]) : xhat;
    if (beta) y = c.op('Add', `${n}/y`, [y, beta]);
    // Keras 3: moving = moving * momentum + batch * (1 - momentum), biased batch variance.
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
  },
  activation(layer, c, _a, { x, inShape, n }): ForwardResult {
    return { output: activate(c, layer.activation, x, n, inShape.length === 3 ? 4 : 2), saved: {} };
  },
  dropout(layer, c, a, { x, n }): ForwardResult {
    if (!a.training || layer.rate === 0) return { output: x, saved: {} };
    // The mask arrives already scaled by 1 / (1 - rate), drawn by the runtime from (seed, layer, step).
    return { output: c.op('Mul', `${n}/dropout`, [x, a.mask]), saved: { mask: a.mask } };
  },
  flatten(_layer, c, _a, { x, inShape, n }): ForwardResult {
    if (inShape.length !== 3) return { output: x, saved: {} };
    // Keras flattens NHWC in (h, w, c) order.
    return { output: c.op('Flatten', `${n}/flatten`, [c.op('Transpose', `${n}/nhwc`, [x], { perm: [0, 2, 3, 1] })], { axis: 1 }), saved: {} };
  },
  concat(_layer, c, a, { n }): ForwardResult {
    return { output: c.op('Concat', `${n}/concat`, a.inputs, { axis: 1 }), saved: {} };
  },
  add(_layer, c, a, { x, n }): ForwardResult {
    return { output: a.inputs.length === 1 ? x : c.op('Sum', `${n}/sum`, a.inputs), saved: {} };
  },
  resize(layer, c, _a, { x, inShape, n }): ForwardResult {
    // Separable interpolation matrices: y = Ah x Aw^T per channel; the backward pass uses their transposes.
    const [h, w] = inShape as [number, number, number];
    const [oh, ow] = layer.size;
    const awT = c.floats(`${n}/awT`, [w, ow], transpose2d(resizeMatrix(w, ow, layer.method), ow, w));
    const ah = c.floats(`${n}/ah`, [oh, h], resizeMatrix(h, oh, layer.method));
    return { output: c.op('MatMul', `${n}/rows`, [ah, c.op('MatMul', `${n}/cols`, [x, awT])]), saved: {} };
  },
  lrn(layer, c, _a, { x, inShape, n }): ForwardResult {
    const sq = c.op('Mul', `${n}/x2`, [x, x]);
    const d = c.op('Add', `${n}/d`, [
      c.scalar(layer.bias),
      c.op('Mul', `${n}/asum`, [c.scalar(layer.alpha), channelWindowSum(c, sq, `${n}/fw`, inShape, layer.depthRadius)]),
    ]);
    const pw = c.op('Pow', `${n}/pow`, [d, c.scalar(-layer.beta)]);
    return { output: c.op('Mul', `${n}/lrn`, [x, pw]), saved: { d, pw } };
  },
};

export function emitForward(c: Ctx, layer: SpecLayer, a: ForwardArgs): ForwardResult {
  const x = a.inputs[0]!;
  const inShape = a.inputShapes[0]!;
  const n = layer.name;
  const p = (name: string) => c.param(`${n}/${name}`);
  return dispatchKind(FORWARD_EMITTERS, layer, c, a, { x, inShape, n, p });
}

/** A pooling window's geometry on its input, and the ConvTranspose attributes that spread window values back. */
function poolGeometry(layer: PoolLayer, inShape: FeatureShape) {
  const [h, w, ch] = inShape as [number, number, number];
  const [kh, kw] = layer.poolSize;
  const [sh, sw] = layer.strides;
  const pads = onnxPads(layer.padding, inShape, layer.poolSize, layer.strides, [1, 1]);
  const [pt, pl, pb, pr] = pads as [number, number, number, number];
  const ho = outSize(h, kh, sh, 1, pt, pb);
  const wo = outSize(w, kw, sw, 1, pl, pr);
  const outputPadding = [h - (sh * (ho - 1) + kh - pt - pb), w - (sw * (wo - 1) + kw - pl - pr)];
  /** A grouped ConvTranspose that puts each window's values back on the input cells it covered (overlaps add). */
  const spread = { kernel_shape: [kh, kw], strides: [sh, sw], group: ch, pads, output_padding: outputPadding };
  return { h, w, ch, kh, kw, sh, sw, pads, pt, pl, pb, pr, ho, wo, spread };
}

type ConvLayer = Extract<SpecLayer, { kind: 'conv2d' }>;
type ConvGeometry = ReturnType<typeof convGeometry>;

function convGeometry(layer: ConvLayer, inShape: FeatureShape) {
  const [kh, kw] = layer.kernelSize;
  const [sh, sw] = layer.strides;
  const [dh, dw] = layer.dilation;
  const [h, w, cin] = inShape as [number, number, number];
  const pads = onnxPads(layer.padding, inShape, layer.kernelSize, layer.strides, layer.dilation);
  const [pt, pl, pb, pr] = pads as [number, number, number, number];
  const ho = outSize(h, kh, sh, dh, pt, pb);
  const wo = outSize(w, kw, sw, dw, pl, pr);
  return { kh, kw, sh, sw, dh, dw, h, w, cin, f: layer.filters, g: layer.groups, pads, pt, pl, pb, pr, ho, wo };
}

/** dL/dx of a convolution: its transpose applied to dz. */
function convDx(c: Ctx, a: BackwardArgs, geo: ConvGeometry, dz: string, kernel: string, n: string): string {
  const { kh, kw, sh, sw, dh, dw, h, w, cin, f, g, pads, pt, pl, pb, pr, ho, wo } = geo;
  const window = { dilations: [dh, dw], pads, strides: [sh, sw] };
  if (a.col2im && g === 1) {
    // ConvTranspose's own algorithm in two ops: per image the GEMM Wᵀ·dz ([C*kh*kw, F] x [F, Ho*Wo]) as one batched
    // MatMul, then Col2Im adds the blocks back. ORT's CPU ConvTranspose runs those GEMMs image by image (K = F is
    // small): LeNet's conv2 dx 4.7 -> 4.1 ms, Col2Im's 1.8 of it single-threaded.
    const wt = c.op('Transpose', `${n}/WT`, [c.op('Reshape', `${n}/W2`, [kernel, c.ints([f, cin * kh * kw])])], { perm: [1, 0] });
    const cols = c.op('MatMul', `${n}/cols`, [wt, c.op('Reshape', `${n}/dz3`, [dz, c.ints([0, f, ho * wo])])]);
    return c.op('Col2Im', `${n}/dx`, [cols, c.ints([h, w]), c.ints([kh, kw])], window);
  }
  const oph = h - (sh * (ho - 1) + (kh - 1) * dh + 1 - pt - pb);
  const opw = w - (sw * (wo - 1) + (kw - 1) * dw + 1 - pl - pr);
  return c.op('ConvTranspose', `${n}/dx`, [dz, kernel], { kernel_shape: [kh, kw], group: g, output_padding: [oph, opw], ...window });
}

/**
 * dL/dW of a convolution: the correlation of x with dz, summed over the batch. Three forms, by what the runtime
 * runs fastest; all give [F, C/g, kh, kw].
 */
function convDw(c: Ctx, a: BackwardArgs, geo: ConvGeometry, x: string, dz: string, n: string): string {
  const { kh, kw, sh, sw, dh, dw, h, w, cin, f, g, pads, pt, pl, pb, pr, ho, wo } = geo;
  const patch = cin * kh * kw;
  if (g === 1 && patch <= 2 * f) {
    // Few input channels (a first layer): im2col by a Conv with one-hot kernels, then one GEMM per image
    // ([F, Ho*Wo] x [Ho*Wo, C*kh*kw], batched) and a sum over the batch. The correlation forms below are one GEMM
    // with F x C*kh*kw outputs over a long K, which MLAS runs on one thread (LeNet's conv1 dW 2.3 -> 1.7 ms). The
    // one-hot Conv costs C*kh*kw/F times the GEMM, hence the bound.
    const attrs = { strides: [sh, sw], dilations: [dh, dw], pads };
    return c.op('Reshape', `${n}/dw`, [im2colWeightGrad(c, n, x, dz, { cin, f, kh, kw, cells: ho * wo, attrs }), c.ints([f, cin, kh, kw])]);
  }
  const xs = g === 1 ? [x] : c.ops('Split', `${n}/xsplit`, [x], g, { axis: 1, num_outputs: g });
  const dzs = g === 1 ? [dz] : c.ops('Split', `${n}/dzsplit`, [dz], g, { axis: 1, num_outputs: g });
  // The window of x that dz's [Ho, Wo] kernel sweeps (strides and dilations swap roles); cropped to kh x kw.
  const khx = Math.floor((h + pt + pb - ((ho - 1) * sh + 1)) / dh) + 1;
  const kwx = Math.floor((w + pl + pr - ((wo - 1) * sw + 1)) / dw) + 1;
  const crop = (r: string, gi: number) =>
    khx !== kh || kwx !== kw ? c.op('Slice', `${n}/dwcrop${gi}`, [r, c.ints([0, 0]), c.ints([kh, kw]), c.ints([2, 3])]) : r;
  const parts = xs.map((xg, gi) => {
    const dzT = c.op('Transpose', `${n}/dzT${gi}`, [dzs[gi]!], { perm: [1, 0, 2, 3] });
    if (!a.dw3d) {
      // A Conv over [C, N, H, W] with [F, N, Ho, Wo] as the kernel, then back to [F, C/g, kh, kw].
      const xT = c.op('Transpose', `${n}/xT${gi}`, [xg], { perm: [1, 0, 2, 3] });
      const r = c.op('Conv', `${n}/dw${gi}`, [xT, dzT], { kernel_shape: [ho, wo], strides: [dh, dw], dilations: [sh, sw], pads });
      return c.op('Transpose', `${n}/dwT${gi}`, [crop(r, gi)], { perm: [1, 0, 2, 3] });
    }
    // A 3-D Conv with the channels as a depth axis: x viewed as [1, N, C, H, W] (no copy), dz as the
    // [F, N, 1, Ho, Wo] kernel; one GEMM over (N, Ho, Wo) gives [1, F, C, kh, kw], already dW's layout.
    const r5 = c.op('Conv', `${n}/dw${gi}`, [c.op('Unsqueeze', `${n}/x5${gi}`, [xg, c.ints([0])]), c.op('Unsqueeze', `${n}/dz5${gi}`, [dzT, c.ints([2])])], {
      kernel_shape: [1, ho, wo],
      strides: [1, dh, dw],
      dilations: [1, sh, sw],
      pads: [0, pt, pl, 0, pb, pr],
    });
    return crop(c.op('Squeeze', `${n}/dw4${gi}`, [r5, c.ints([0])]), gi);
  });
  return parts.length === 1 ? parts[0]! : c.op('Concat', `${n}/dw`, parts, { axis: 0 });
}

type BackwardLocals = { dy: string; x: string; inShape: FeatureShape; n: string; p: (name: string) => string; needX: boolean };

/** One gradient emitter per layer kind: dL/d(inputs) and dL/d(params) from dL/d(output). */
export const BACKWARD_EMITTERS: KindTable<[c: Ctx, a: BackwardArgs, locals: BackwardLocals], BackwardResult, Exclude<LayerKind, 'input'>> = {
  conv2d(layer, c, a, { dy, x, inShape, n, p, needX }): BackwardResult {
    const dz = a.reluApplied ? dy : activationGrad(c, layer.activation, a.output, dy, n, 4);
    if (a.phased) return { dx: [], params: a.trainable ? phasedConvBackward(c, layer, dz, a.saved.xs!, inShape, n) : {} };
    const geo = convGeometry(layer, inShape);
    const result: BackwardResult = { dx: [needX ? convDx(c, a, geo, dz, p('kernel'), n) : undefined] };
    if (a.trainable) {
      result.params = { kernel: convDw(c, a, geo, x, dz, n) };
      if (layer.useBias) result.params.bias = c.op('ReduceSum', `${n}/db`, [dz, c.ints(NCHW_SPATIAL)], { keepdims: 0 });
    }
    return result;
  },
  dense(layer, c, a, { dy, x, n, p, needX }): BackwardResult {
    const dz = a.reluApplied ? dy : activationGrad(c, layer.activation, a.output, dy, n, 2);
    const result: BackwardResult = { dx: [needX ? c.op('Gemm', `${n}/dx`, [dz, p('kernel')], { transB: 1 }) : undefined] };
    if (a.trainable) {
      result.params = { kernel: c.op('Gemm', `${n}/dw`, [x, dz], { transA: 1 }) };
      if (layer.useBias) result.params.bias = c.op('ReduceSum', `${n}/db`, [dz, c.ints([0])], { keepdims: 0 });
    }
    return result;
  },
  maxPool2d(layer: PoolLayer, c, a, { dy: dyIn, x, inShape, n }): BackwardResult {
    let dy = dyIn;
    // Every path below routes dy to arg-max cells only, where the input equals y: relu's mask there is sign(y).
    if (a.foldRelu) dy = reluGrad(c, a.output, dy, n);
    if (a.phased) return { dx: [phasedPoolBackward(c, n, dy, a.saved.phase!)] };
    if (a.saved.unpool) {
      const { kh, kw, sh, sw, pads } = poolGeometry(layer, inShape);
      return {
        dx: [c.op('MaxUnpool', `${n}/dx`, [dy, a.saved.unpool, c.op('Shape', `${n}/shape`, [x])], { kernel_shape: [kh, kw], strides: [sh, sw], pads })],
      };
    }
    if (a.saved.indices) {
      const flat = c.op('Reshape', `${n}/xflat`, [x, c.ints([-1])]);
      const zeros = c.op('Expand', `${n}/zeros`, [c.scalar(0), c.op('Shape', `${n}/size`, [flat])]);
      const scattered = c.op(
        'ScatterElements',
        `${n}/scatter`,
        [zeros, c.op('Reshape', `${n}/iflat`, [a.saved.indices, c.ints([-1])]), c.op('Reshape', `${n}/dyflat`, [dy, c.ints([-1])])],
        { axis: 0, reduction: 'add' },
      );
      return { dx: [c.op('Reshape', `${n}/dx`, [scattered, c.op('Shape', `${n}/shape`, [x])])] };
    }
    if (a.saved.arg) {
      const [h, w, ch] = inShape as [number, number, number];
      const [kh, kw] = layer.poolSize;
      const kk = Float32Array.from({ length: kh * kw }, (_, i) => i);
      const hot = c.floatEqual(`${n}/is_arg`, c.op('Cast', `${n}/argf`, [a.saved.arg], { to: 1 }), c.floats(`${n}/range`, [kh * kw], kk));
      const spread = c.op('Mul', `${n}/spread`, [hot, c.op('Unsqueeze', `${n}/dy5`, [dy, c.ints([4])])]);
      const blocks = c.op('Reshape', `${n}/blocks`, [spread, c.ints([0, ch, h / kh, w / kw, kh, kw])]);
      return { dx: [c.op('Reshape', `${n}/dx`, [c.op('Transpose', `${n}/unT`, [blocks], { perm: [0, 1, 2, 4, 3, 5] }), c.ints([0, ch, h, w])])] };
    }
    // Each window's gradient goes to its first maximal cell (row-major, as TensorFlow and tfjs choose on ties).
    // Per window offset k: the strided slice of the (-inf padded) input that offset reads, equal to y and not
    // claimed by an earlier offset. The kh*kw masked gradients become channels and one grouped ConvTranspose with
    // one-hot kernels puts each back at its offset (overlaps add up).
    const { ch, kh, kw, sh, sw, pads, pt, pl, pb, pr, ho, wo, spread } = poolGeometry(layer, inShape);
    const xp = pads.some((v) => v > 0) ? c.op('Pad', `${n}/xpad`, [x, c.ints([0, 0, pt, pl, 0, 0, pb, pr]), c.scalar(-3.4e38)], { mode: 'constant' }) : x;
    let claimed: string | undefined;
    const parts: string[] = [];
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++) {
        const k = `${ky}_${kx}`;
        const xs = c.op('Slice', `${n}/x${k}`, [
          xp,
          c.ints([ky, kx]),
          c.ints([ky + (ho - 1) * sh + 1, kx + (wo - 1) * sw + 1]),
          c.ints([2, 3]),
          c.ints([sh, sw]),
        ]);
        // 0/1 floats: hit = (xs == y) and not yet claimed; claimed stays 0 or 1.
        let hit = c.floatEqual(`${n}/x${k}`, xs, a.output);
        if (claimed) hit = c.op('Mul', `${n}/first${k}`, [hit, c.op('Sub', `${n}/free${k}`, [c.scalar(1), claimed])]);
        claimed = claimed ? c.op('Add', `${n}/claimed${k}`, [claimed, hit]) : hit;
        parts.push(c.op('Unsqueeze', `${n}/g5${k}`, [c.op('Mul', `${n}/g${k}`, [dy, hit]), c.ints([2])]));
      }
    }
    const kk = kh * kw;
    const stacked = c.op('Reshape', `${n}/stacked`, [concatTree(c, parts, 2, `${n}/cat`), c.ints([0, ch * kk, ho, wo])]);
    const onehot = new Float32Array(ch * kk * kk);
    for (let cc = 0; cc < ch; cc++) for (let q = 0; q < kk; q++) onehot[(cc * kk + q) * kk + q] = 1;
    const dx = c.op('ConvTranspose', `${n}/dx`, [stacked, c.floats(`${n}/onehot`, [ch * kk, 1, kh, kw], onehot)], spread);
    return { dx: [dx] };
  },
  avgPool2d(layer: PoolLayer, c, _a, { dy, inShape, n }): BackwardResult {
    const { h, w, ch, kh, kw, sh, sw, pt, pl, ho, wo, spread } = poolGeometry(layer, inShape);
    const rows = windowCounts(h, kh, sh, pt, ho);
    const cols = windowCounts(w, kw, sw, pl, wo);
    const inv = new Float32Array(ho * wo);
    for (let i = 0; i < ho; i++) for (let j = 0; j < wo; j++) inv[i * wo + j] = 1 / (rows[i]! * cols[j]!);
    const scaled = c.op('Mul', `${n}/dy/count`, [dy, c.floats(`${n}/inv_count`, [1, 1, ho, wo], inv)]);
    const ones = c.floats(`${n}/ones`, [ch, 1, kh, kw], new Float32Array(ch * kh * kw).fill(1));
    const dx = c.op('ConvTranspose', `${n}/dx`, [scaled, ones], spread);
    return { dx: [dx] };
  },
  globalAvgPool2d(_layer, c, _a, { dy, x, inShape, n }): BackwardResult {
    const [h, w] = inShape as [number, number, number];
    const nc11 = c.op('Unsqueeze', `${n}/nc11`, [dy, c.ints([2, 3])]);
    const spread = c.op('Expand', `${n}/expand`, [nc11, c.op('Shape', `${n}/shape`, [x])]);
    return { dx: [c.op('Mul', `${n}/dx`, [spread, c.scalar(1 / (h * w))])] };
  },
  zeroPad2d(layer, c, _a, { dy, inShape, n }): BackwardResult {
    const [h, w] = inShape as [number, number, number];
    const { top, left } = layer.padding;
    return { dx: [c.op('Slice', `${n}/dx`, [dy, c.ints([top, left]), c.ints([top + h, left + w]), c.ints([2, 3])])] };
  },
  batchNorm(layer, c, a, { dy, inShape, n, needX }): BackwardResult {
    if (layer.trainable === false) return { dx: [c.op('Mul', `${n}/dx`, [dy, a.saved.scale!])] };
    const rank4 = inShape.length === 3;
    const axes = rank4 ? NCHW_SPATIAL : [0];
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
  activation(layer, c, a, { dy, inShape, n }): BackwardResult {
    return { dx: [a.reluApplied ? dy : activationGrad(c, layer.activation, a.output, dy, n, inShape.length === 3 ? 4 : 2)] };
  },
  dropout(_layer, c, a, { dy, n }): BackwardResult {
    return { dx: [a.saved.mask ? c.op('Mul', `${n}/dx`, [dy, a.saved.mask]) : dy] };
  },
  flatten(_layer, c, _a, { dy, inShape, n }): BackwardResult {
    if (inShape.length !== 3) return { dx: [dy] };
    const [h, w, ch] = inShape as [number, number, number];
    const nhwc = c.op('Reshape', `${n}/nhwc`, [dy, c.ints([0, h, w, ch])]);
    return { dx: [c.op('Transpose', `${n}/dx`, [nhwc], { perm: [0, 3, 1, 2] })] };
  },
  concat(_layer, c, a, { dy, n }): BackwardResult {
    const sizes = a.inputShapes.map((s) => s[s.length - 1]!);
    return { dx: c.ops('Split', `${n}/split`, [dy, c.ints(sizes)], sizes.length, { axis: 1 }) };
  },
  add(_layer, _c, a, { dy }): BackwardResult {
    return { dx: a.inputs.map(() => dy) };
  },
  resize(layer, c, _a, { dy, inShape, n }): BackwardResult {
    const [h, w] = inShape as [number, number, number];
    const [oh, ow] = layer.size;
    const ahT = c.floats(`${n}/ahT`, [h, oh], transpose2d(resizeMatrix(h, oh, layer.method), oh, h));
    const aw = c.floats(`${n}/aw`, [ow, w], resizeMatrix(w, ow, layer.method));
    return { dx: [c.op('MatMul', `${n}/dx`, [c.op('MatMul', `${n}/drows`, [ahT, dy]), aw])] };
  },
  lrn(layer, c, a, { dy, x, inShape, n }): BackwardResult {
    const { d, pw } = a.saved as { d: string; pw: string };
    // dx = dy d^-b - 2 a b x sum_window(dy x d^(-b-1)).
    const inner = c.op('Div', `${n}/inner`, [c.op('Mul', `${n}/dyxpw`, [c.op('Mul', `${n}/dyx`, [dy, x]), pw]), d]);
    const win = channelWindowSum(c, inner, `${n}/bw`, inShape, layer.depthRadius);
    const second = c.op('Mul', `${n}/second`, [c.op('Mul', `${n}/xwin`, [x, win]), c.scalar(2 * layer.alpha * layer.beta)]);
    return { dx: [c.op('Sub', `${n}/dx`, [c.op('Mul', `${n}/first`, [dy, pw]), second])] };
  },
};

export function emitBackward(c: Ctx, layer: SpecLayer, a: BackwardArgs): BackwardResult {
  const { dy } = a;
  const x = a.inputs[0]!;
  const inShape = a.inputShapes[0]!;
  const n = `${layer.name}/grad`;
  const p = (name: string) => c.param(`${layer.name}/${name}`);
  const needX = a.needInput[0] === true;
  return dispatchKind(BACKWARD_EMITTERS, layer, c, a, { dy, x, inShape, n, p, needX });
}
