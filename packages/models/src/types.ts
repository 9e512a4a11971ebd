// The data model of a network. Plain JSON: a spec can be written to a file, read back and validated.
// Layout is Keras': activations NHWC (batch dimension omitted in shapes), conv kernels [kh, kw, in/groups, out],
// dense kernels [in, out]. Parameter names are `<layer>/<param>`.

/** Height, width, channels of one image (no batch dimension). */
export type Shape3 = [number, number, number];
/** A feature shape without the batch dimension: [h, w, c] after convs, [n] after flatten/dense. */
export type FeatureShape = number[];

export type Pair = [number, number];

/** 'valid' and 'same' follow TensorFlow (same: output = ceil(in / stride), extra padding goes after). */
export type Padding = 'valid' | 'same' | { top: number; bottom: number; left: number; right: number };

/** One of ACTIVATIONS (schema.ts), the one list of activation names. */
export type ActivationName = typeof import('./schema.js').ACTIVATIONS[number];

interface LayerBase {
  /** Unique within the spec; parameter names start with it. */
  name: string;
  /** Names of the layers feeding this one, in order. Empty only for `input`. */
  inputs: string[];
  /** Defaults to true. Frozen layers keep their parameters but count as non-trainable. */
  trainable?: boolean;
}

export interface InputLayer extends LayerBase {
  kind: 'input';
  shape: Shape3;
}

export interface Conv2DLayer extends LayerBase {
  kind: 'conv2d';
  filters: number;
  kernelSize: Pair;
  strides: Pair;
  padding: Padding;
  dilation: Pair;
  groups: number;
  useBias: boolean;
  activation: ActivationName;
}

export interface DenseLayer extends LayerBase {
  kind: 'dense';
  units: number;
  useBias: boolean;
  activation: ActivationName;
}

export interface Pool2DLayer extends LayerBase {
  kind: 'maxPool2d' | 'avgPool2d';
  poolSize: Pair;
  strides: Pair;
  /** avgPool2d with 'same' divides by the count of real (unpadded) cells, as TensorFlow does. */
  padding: Padding;
}

export interface GlobalAvgPool2DLayer extends LayerBase {
  kind: 'globalAvgPool2d';
}

export interface ZeroPad2DLayer extends LayerBase {
  kind: 'zeroPad2d';
  padding: { top: number; bottom: number; left: number; right: number };
}

export interface BatchNormLayer extends LayerBase {
  kind: 'batchNorm';
  /** Keras default 1e-3 (PyTorch 1e-5). */
  epsilon: number;
  /** Keras semantics: moving = moving * momentum + batch * (1 - momentum). Default 0.99. */
  momentum: number;
  center: boolean;
  scale: boolean;
}

export interface ActivationLayer extends LayerBase {
  kind: 'activation';
  activation: ActivationName;
}

export interface DropoutLayer extends LayerBase {
  kind: 'dropout';
  /** Fraction dropped while training; identity at inference. */
  rate: number;
}

export interface FlattenLayer extends LayerBase {
  kind: 'flatten';
}

export interface ConcatLayer extends LayerBase {
  kind: 'concat';
  /** Channel concatenation (axis -1 of NHWC) is the only one the architectures need. */
  axis: -1;
}

export interface AddLayer extends LayerBase {
  kind: 'add';
}

export interface ResizeLayer extends LayerBase {
  kind: 'resize';
  size: Pair;
  /** Keras Resizing semantics: half-pixel centres, no antialias. */
  method: 'bilinear' | 'nearest';
}

export interface LrnLayer extends LayerBase {
  kind: 'lrn';
  /** TensorFlow's tf.nn.local_response_normalization: sum over [c - r, c + r]. */
  depthRadius: number;
  bias: number;
  alpha: number;
  beta: number;
}

export type Layer =
  | InputLayer
  | Conv2DLayer
  | DenseLayer
  | Pool2DLayer
  | GlobalAvgPool2DLayer
  | ZeroPad2DLayer
  | BatchNormLayer
  | ActivationLayer
  | DropoutLayer
  | FlattenLayer
  | ConcatLayer
  | AddLayer
  | ResizeLayer
  | LrnLayer;

export type LayerKind = Layer['kind'];

export interface ModelSpec {
  /** Format marker so stored specs can be recognised and migrated. */
  format: 'convzoo.spec/1';
  name: string;
  /** Names of input layers. */
  inputs: string[];
  /** Names of the layers whose activations are the model's outputs, in order. */
  outputs: string[];
  /** Topological order: every layer comes after its inputs. */
  layers: Layer[];
  /** Free-form notes (flavour, source paper, deviations). */
  meta?: Record<string, string | number | boolean>;
}

/** One parameter tensor of a layer, in canonical (Keras) layout. */
export interface ParamInfo {
  /** `<layer>/<param>`, e.g. `conv2d/kernel`, `batch_normalization/moving_mean`. */
  name: string;
  layer: string;
  param: 'kernel' | 'bias' | 'gamma' | 'beta' | 'moving_mean' | 'moving_variance';
  shape: number[];
  trainable: boolean;
}
