// The leaves of the data model, imported by everything and importing nothing: the value types of a spec's fields,
// the lists that name activations and resize methods, and KIND_FIELDS, the one declaration of every layer kind's
// fields. types.ts derives the layer types from it, schema.ts checks specs against it, kinds.ts adds the rules.

/** Height, width, channels of one image (no batch dimension). */
export type Shape3 = [number, number, number];
/** A feature shape without the batch dimension: [h, w, c] after convs, [n] after flatten/dense. */
export type FeatureShape = number[];

export type Pair = [number, number];

/** 'valid' and 'same' follow TensorFlow (same: output = ceil(in / stride), extra padding goes after). */
export type Padding = 'valid' | 'same' | { top: number; bottom: number; left: number; right: number };

/** One of ACTIVATIONS, the one list of activation names. */
export type ActivationName = (typeof ACTIVATIONS)[number];

/** The TypeScript type of each field type (schema.ts checks them at run time). */
interface FieldValues {
  int: number;
  number: number;
  boolean: boolean;
  pair: Pair;
  shape3: Shape3;
  padding: Padding;
  box: Exclude<Padding, string>;
  activation: ActivationName;
  method: (typeof RESIZE_METHODS)[number];
  axis: -1;
}

export type FieldType = keyof FieldValues;
/** `FieldValue<'pair'>` is Pair. */
export type FieldValue<T extends FieldType> = FieldValues[T];

type KindFields = typeof KIND_FIELDS;

/** Every layer kind: the keys of the kind table. */
export type LayerKind = keyof KindFields;

/** Every activation a layer may name; ActivationName is derived from this list. */
/** relu6 is min(max(x, 0), 6) (Keras' relu6, PyTorch's ReLU6: MobileNetV2). */
export const ACTIVATIONS = ['linear', 'relu', 'softmax', 'sigmoid', 'tanh', 'relu6'] as const;

/** Every resize method (Keras Resizing's `interpolation`); the `method` field type is derived from this list. */
export const RESIZE_METHODS = ['bilinear', 'nearest'] as const;

// Shared by maxPool2d and avgPool2d (Pool2DLayer).
const POOL = {
  poolSize: 'pair',
  strides: 'pair',
  /** avgPool2d with 'same' divides by the count of real (unpadded) cells, as TensorFlow does. */
  padding: 'padding',
} as const;

/**
 * THE fields of every layer kind, declared once: every kind, in this order, with its required fields besides
 * name/kind/inputs/trainable and their types. The layer types (types.ts: Conv2DLayer, Layer, LayerKind, ...) are
 * derived from it, each field keeping its JSDoc, and validation checks specs against it (schema.ts). A new kind starts
 * here; RULES below must then have its entry (the compiler holds the two equal).
 */
export const KIND_FIELDS = {
  input: { shape: 'shape3' },
  conv2d: {
    filters: 'int',
    kernelSize: 'pair',
    strides: 'pair',
    padding: 'padding',
    dilation: 'pair',
    groups: 'int',
    useBias: 'boolean',
    activation: 'activation',
  },
  dense: { units: 'int', useBias: 'boolean', activation: 'activation' },
  maxPool2d: POOL,
  avgPool2d: POOL,
  globalAvgPool2d: {},
  zeroPad2d: { padding: 'box' },
  batchNorm: {
    /** Keras default 1e-3 (PyTorch 1e-5). */
    epsilon: 'number',
    /** Keras semantics: moving = moving * momentum + batch * (1 - momentum). Default 0.99. */
    momentum: 'number',
    center: 'boolean',
    scale: 'boolean',
  },
  activation: { activation: 'activation' },
  dropout: {
    /** Fraction dropped while training; identity at inference. */
    rate: 'number',
  },
  flatten: {},
  concat: {
    /** Channel concatenation (axis -1 of NHWC) is the only one the architectures need. */
    axis: 'axis',
  },
  add: {},
  resize: {
    size: 'pair',
    /** Keras Resizing semantics: half-pixel centres, no antialias. */
    method: 'method',
  },
  lrn: {
    /** TensorFlow's tf.nn.local_response_normalization: sum over [c - r, c + r]. */
    depthRadius: 'int',
    bias: 'number',
    alpha: 'number',
    beta: 'number',
  },
} as const satisfies Record<string, Record<string, FieldType>>;

/** Every layer kind, in KIND_FIELDS order. */
export const LAYER_KINDS = Object.keys(KIND_FIELDS) as LayerKind[];

/** The fields of a kind, typed from its KIND_FIELDS entry (a homomorphic map, so each field keeps its JSDoc). */
export type FieldsOf<K extends LayerKind> = { -readonly [F in keyof KindFields[K]]: FieldValues[KindFields[K][F] & FieldType] };
