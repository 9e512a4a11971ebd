// THE fields of every layer kind, declared once: the table below is read at run time (specs read from JSON, or built
// with casts, are checked against it, so a missing `strides` is reported by name instead of surfacing as NaN shapes
// three layers later) and the layer types of types.ts are derived from it (FieldsOf), JSDoc included.
import type { FieldType, LayerKind } from './types.js';

export type { FieldType } from './types.js';

/** Every activation a layer may name; ActivationName is derived from this list. */
export const ACTIVATIONS = ['linear', 'relu', 'softmax', 'sigmoid', 'tanh'] as const;

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
 * Every layer kind, in this order, with its required fields besides name/kind/inputs/trainable and their types. A new
 * kind starts here; its rules (shape, parameters, ...) go in kinds.ts' LAYER_DEFS, which the compiler holds to this.
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

/** Every layer kind, with its required fields (KIND_FIELDS, typed for lookups by a kind name). */
export const LAYER_FIELDS: Record<LayerKind, Readonly<Record<string, FieldType>>> = KIND_FIELDS;

export const LAYER_KINDS = Object.keys(KIND_FIELDS) as LayerKind[];

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isBox = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && ['top', 'bottom', 'left', 'right'].every((k) => isInt((v as Record<string, unknown>)[k]));

/** Whether `value` has the given field type. */
export function fieldMatches(type: FieldType, value: unknown): boolean {
  switch (type) {
    case 'int':
      return isInt(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'pair':
      return Array.isArray(value) && value.length === 2 && value.every(isInt);
    case 'shape3':
      return Array.isArray(value) && value.length === 3 && value.every(isInt);
    case 'padding':
      return value === 'valid' || value === 'same' || isBox(value);
    case 'box':
      return isBox(value);
    case 'activation':
      return (ACTIVATIONS as readonly unknown[]).includes(value);
    case 'method':
      return (RESIZE_METHODS as readonly unknown[]).includes(value);
    case 'axis':
      return value === -1;
  }
}

/** How to describe a field type in an error. */
export const FIELD_TYPE_TEXT: Record<FieldType, string> = {
  int: 'an integer',
  number: 'a finite number',
  boolean: 'true or false',
  pair: 'a pair of integers [h, w]',
  shape3: 'a shape of three integers [h, w, c]',
  padding: "'valid', 'same' or { top, bottom, left, right }",
  box: 'an object { top, bottom, left, right } of integers',
  activation: `one of ${ACTIVATIONS.join(', ')}`,
  method: "'bilinear' or 'nearest'",
  axis: '-1 (channels)',
};
