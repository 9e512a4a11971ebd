// One ONNX subgraph per spec layer, one EMITTERS entry per kind. Inside the graph image activations are NCHW ([N, C, H, W]) and vectors are
// [N, n]; shapes passed here are the spec's (NHWC without batch), so channel axes are converted on the way.
import { dispatchKind, type ActivationName, type FeatureShape, type KindTable, type Layer, type LayerKind, type LayerOf } from '@convzoo/models';
import type { AttrValue, GraphBuilder } from './graph-builder.js';
import { hwioToOihw, onnxPads } from './layout.js';

export interface EmitContext {
  g: GraphBuilder;
  /** Canonical parameter of this layer (already checked for presence and shape). */
  param(name: 'kernel' | 'bias' | 'gamma' | 'beta' | 'moving_mean' | 'moving_variance'): Float32Array;
  /** Graph values holding this layer's inputs, in order. */
  inputs: string[];
  /** Spec shapes of those inputs (no batch). */
  inputShapes: FeatureShape[];
  /** The graph value this layer must produce. */
  output: string;
}

const isImage = (s: FeatureShape) => s.length === 3;

/** The ONNX operator of each activation (Identity for linear, so every layer keeps its own named value). */
const ACTIVATION_OPS: Record<ActivationName, string> = { linear: 'Identity', relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', softmax: 'Softmax' };

/** One activation node from `from` to `to`. */
function activation(c: EmitContext, kind: ActivationName, from: string, to: string, nodeName: string, rank: number): void {
  // Keras' softmax normalises over the last (channel) axis; in NCHW that is axis 1.
  const attrs = kind === 'softmax' ? { axis: rank === 4 ? 1 : -1 } : undefined;
  c.g.node(ACTIVATION_OPS[kind], nodeName, [from], [to], attrs);
}

type Emitters = KindTable<[c: EmitContext], void, Exclude<LayerKind, 'input'>>;

const pooling = (layer: LayerOf<'maxPool2d' | 'avgPool2d'>, c: EmitContext): void => {
  const { g, inputs, inputShapes, output } = c;
  const pads = onnxPads(layer.padding, inputShapes[0]!, layer.poolSize, layer.strides, [1, 1]);
  const attrs = { kernel_shape: [...layer.poolSize], strides: [...layer.strides], pads };
  if (layer.kind === 'maxPool2d') g.node('MaxPool', layer.name, [inputs[0]!], [output], attrs);
  // TensorFlow averages over the real cells only: padded cells are not counted.
  else g.node('AveragePool', layer.name, [inputs[0]!], [output], { ...attrs, count_include_pad: 0 });
};

/** THE ONNX inference emitter of every layer kind but 'input' (the graph inputs); test/kind-tables.test.ts checks. */
export const EMITTERS: Emitters = {
  conv2d(layer, c) {
    const { g, inputs, inputShapes, output } = c;
    const n = layer.name;
    const [kh, kw] = layer.kernelSize;
    const cin = inputShapes[0]![2]! / layer.groups;
    const w = g.floatInit(`${n}/kernel`, [layer.filters, cin, kh, kw], hwioToOihw(c.param('kernel'), [kh, kw, cin, layer.filters]));
    const ins = [inputs[0]!, w];
    if (layer.useBias) ins.push(g.floatInit(`${n}/bias`, [layer.filters], c.param('bias')));
    const fused = layer.activation !== 'linear';
    const convOut = fused ? `${n}/conv` : output;
    g.node('Conv', n, ins, [convOut], {
      kernel_shape: [kh, kw],
      strides: [...layer.strides],
      dilations: [...layer.dilation],
      group: layer.groups,
      pads: onnxPads(layer.padding, inputShapes[0]!, layer.kernelSize, layer.strides, layer.dilation),
    });
    if (fused) activation(c, layer.activation, convOut, output, `${n}/${layer.activation}`, 4);
  },
  dense(layer, c) {
    const { g, inputs, inputShapes, output } = c;
    const n = layer.name;
    const cin = inputShapes[0]![0]!;
    const ins = [inputs[0]!, g.floatInit(`${n}/kernel`, [cin, layer.units], c.param('kernel'))];
    if (layer.useBias) ins.push(g.floatInit(`${n}/bias`, [layer.units], c.param('bias')));
    const fused = layer.activation !== 'linear';
    const gemmOut = fused ? `${n}/gemm` : output;
    g.node('Gemm', n, ins, [gemmOut]);
    if (fused) activation(c, layer.activation, gemmOut, output, `${n}/${layer.activation}`, 2);
  },
  maxPool2d: pooling,
  avgPool2d: pooling,
  globalAvgPool2d({ name: n }, { g, inputs, output }) {
    g.node('GlobalAveragePool', n, [inputs[0]!], [`${n}/nc11`]);
    g.node('Flatten', `${n}/flatten`, [`${n}/nc11`], [output], { axis: 1 });
  },
  zeroPad2d({ name: n, padding }, { g, inputs, output }) {
    const { top, bottom, left, right } = padding;
    const pads = g.int64Init(`${n}/pads`, [0, 0, top, left, 0, 0, bottom, right]);
    g.node('Pad', n, [inputs[0]!, pads], [output], { mode: 'constant' });
  },
  batchNorm(layer, c) {
    const { g, inputs, inputShapes, output } = c;
    const n = layer.name;
    const inShape = inputShapes[0]!;
    const ch = inShape[inShape.length - 1]!;
    const gamma = layer.scale ? c.param('gamma') : new Float32Array(ch).fill(1);
    const beta = layer.center ? c.param('beta') : new Float32Array(ch);
    g.node(
      'BatchNormalization',
      n,
      [
        inputs[0]!,
        g.floatInit(layer.scale ? `${n}/gamma` : `${n}/gamma(scale=false)`, [ch], gamma),
        g.floatInit(layer.center ? `${n}/beta` : `${n}/beta(center=false)`, [ch], beta),
        g.floatInit(`${n}/moving_mean`, [ch], c.param('moving_mean')),
        g.floatInit(`${n}/moving_variance`, [ch], c.param('moving_variance')),
      ],
      [output],
      { epsilon: { float: layer.epsilon } },
    );
  },
  activation(layer, c) {
    activation(c, layer.activation, c.inputs[0]!, c.output, layer.name, isImage(c.inputShapes[0]!) ? 4 : 2);
  },
  // Inference graph: dropout is the identity.
  dropout({ name }, { g, inputs, output }) {
    g.node('Identity', name, [inputs[0]!], [output]);
  },
  flatten({ name: n }, { g, inputs, inputShapes, output }) {
    if (isImage(inputShapes[0]!)) {
      // Keras flattens NHWC in (h, w, c) order: go back to NHWC first so a following Dense keeps Keras' rows.
      g.node('Transpose', `${n}/nhwc`, [inputs[0]!], [`${n}/nhwc`], { perm: [0, 2, 3, 1] });
      g.node('Flatten', n, [`${n}/nhwc`], [output], { axis: 1 });
    } else {
      g.node('Identity', n, [inputs[0]!], [output]);
    }
  },
  // The spec concatenates channels (axis -1 of NHWC): axis 1 both for NCHW images and [N, n] vectors.
  concat({ name }, { g, inputs, output }) {
    g.node('Concat', name, inputs, [output], { axis: 1 });
  },
  add({ name: n }, { g, inputs, output }) {
    let acc = inputs[0]!;
    for (let i = 1; i < inputs.length; i++) {
      const to = i === inputs.length - 1 ? output : `${n}/sum${i}`;
      g.node('Add', i === inputs.length - 1 ? n : `${n}/add${i}`, [acc, inputs[i]!], [to]);
      acc = to;
    }
    if (inputs.length === 1) g.node('Identity', n, [acc], [output]);
  },
  resize(layer, { g, inputs, output }) {
    // Keras Resizing = tf.image.resize: half-pixel centres, no antialias. Nearest rounds floor((x + 0.5) * in/out),
    // which is ONNX half_pixel with round_prefer_ceil. Sizes need the (dynamic) batch: [N, C] from Shape + [h, w].
    const n = layer.name;
    const x = inputs[0]!;
    const shape = `${n}/shape`;
    g.node('Shape', `${n}/shape`, [x], [shape]);
    const starts = g.int64Init(`${n}/nc_start`, [0]);
    const ends = g.int64Init(`${n}/nc_end`, [2]);
    g.node('Slice', `${n}/nc`, [shape, starts, ends], [`${n}/nc`]);
    const hw = g.int64Init(`${n}/hw`, [...layer.size]);
    g.node('Concat', `${n}/sizes`, [`${n}/nc`, hw], [`${n}/sizes`], { axis: 0 });
    const attrs: Record<string, AttrValue> =
      layer.method === 'bilinear'
        ? { mode: 'linear', coordinate_transformation_mode: 'half_pixel' }
        : { mode: 'nearest', coordinate_transformation_mode: 'half_pixel', nearest_mode: 'round_prefer_ceil' };
    g.node('Resize', n, [x, '', '', `${n}/sizes`], [output], attrs);
  },
  lrn(layer, { g, inputs, output }) {
    // TF: x / (bias + alpha * sum_{c-r..c+r} x^2)^beta. ONNX: x / (bias + alpha/size * sum over size)^beta, with
    // size = 2r + 1 centred (floor/ceil of (size-1)/2 = r on both sides), so alpha_onnx = alpha * size.
    const size = 2 * layer.depthRadius + 1;
    g.node('LRN', layer.name, [inputs[0]!], [output], {
      size,
      alpha: { float: layer.alpha * size },
      beta: { float: layer.beta },
      bias: { float: layer.bias },
    });
  },
};

export function emitLayer(layer: Exclude<Layer, { kind: 'input' }>, c: EmitContext): void {
  dispatchKind(EMITTERS, layer, c);
}
