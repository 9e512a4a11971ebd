// The data model of a network. Plain JSON: a spec can be written to a file, read back and validated.
// Layout is Keras': activations NHWC (batch dimension omitted in shapes), conv kernels [kh, kw, in/groups, out],
// dense kernels [in, out]. Parameter names are `<layer>/<param>`.

export type {
  ActivationName,
  FeatureShape,
  FieldType,
  FieldValue,
  FieldsOf,
  LayerKind,
  Pair,
  Padding,
  Shape3,
} from './fields.js';
import type { FieldsOf, LayerKind } from './fields.js';

interface LayerBase {
  /** Unique within the spec; parameter names start with it. */
  name: string;
  /** Names of the layers feeding this one, in order. Empty only for `input`. */
  inputs: string[];
  /** Defaults to true. Frozen layers keep their parameters but count as non-trainable. */
  trainable?: boolean;
}

/** A layer of the given kind(s): its kind, the common fields and the kind's own (`KindLayer<'conv2d'>` is Conv2DLayer). */
type KindLayer<K extends LayerKind> = LayerBase & { kind: K } & FieldsOf<K>;

/** Every layer, one member per kind of the table (a new kind needs no edit here). */
export type Layer = { [K in LayerKind]: KindLayer<K> }[LayerKind];

// Names for the kinds other packages spell out.
export type InputLayer = KindLayer<'input'>;
export type Conv2DLayer = KindLayer<'conv2d'>;
export type DenseLayer = KindLayer<'dense'>;
/** maxPool2d and avgPool2d share their fields (one table entry, POOL). */
export type Pool2DLayer = LayerBase & { kind: 'maxPool2d' | 'avgPool2d' } & FieldsOf<'maxPool2d'>;
export type GlobalAvgPool2DLayer = KindLayer<'globalAvgPool2d'>;
export type ZeroPad2DLayer = KindLayer<'zeroPad2d'>;
export type BatchNormLayer = KindLayer<'batchNorm'>;
export type ActivationLayer = KindLayer<'activation'>;
export type DropoutLayer = KindLayer<'dropout'>;
export type FlattenLayer = KindLayer<'flatten'>;
export type ConcatLayer = KindLayer<'concat'>;
export type AddLayer = KindLayer<'add'>;
export type ResizeLayer = KindLayer<'resize'>;
export type LrnLayer = KindLayer<'lrn'>;

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
