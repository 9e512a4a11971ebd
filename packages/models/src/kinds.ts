// THE definition of every layer kind, two tables keyed by kind: KIND_FIELDS (fields.ts), its fields (the one declaration the layer
// types are derived from, and what validation checks), and RULES: its Keras class and automatic name, its arity, its
// shape rule, its parameter tensors, its multiply-accumulates, its sliding window and its receptive-field rule. Shape
// inference, parameters, summaries, the builder, structure checks and the analysis all read LAYER_DEFS (the two
// joined); an entry in each table here, one per adapter table and a conformance case is the whole change.
import type { SpecRule } from './errors.js';
import type { SlidingWindow } from './geometry.js';
import { throughResize, throughWholeMap, type ReceptiveField } from './receptive-moves.js';
import type { ActivationName, FeatureShape, FieldType, Layer, LayerKind, Pair, Padding, ParamInfo, Shape3 } from './types.js';

import { KIND_FIELDS, LAYER_KINDS } from './fields.js';

export { KIND_FIELDS, LAYER_KINDS };
export type { SlidingWindow };

/** The layer type of one kind: `LayerOf<'conv2d'>` is Conv2DLayer. */
export type LayerOf<K extends LayerKind> = Extract<Layer, { kind: K }>;

/**
 * One handler per layer kind, each typed with its own layer: the shape of every adapter's kind table (tfjs forward,
 * ONNX export and training emitters). `Kinds` narrows the rooms that skip a kind (ONNX emitters skip 'input').
 */
export type KindTable<Args extends unknown[], R, Kinds extends LayerKind = LayerKind> = { [K in Kinds]: (layer: LayerOf<K>, ...args: Args) => R };

/** Calls the entry of `layer.kind` in `table` (the one cast the per-kind typing needs). */
export function dispatchKind<Args extends unknown[], R, Kinds extends LayerKind>(table: KindTable<Args, R, Kinds>, layer: LayerOf<Kinds>, ...args: Args): R {
  return (table[layer.kind as Kinds] as unknown as (l: Layer, ...a: Args) => R)(layer, ...args);
}

/** What a shape rule may use: the input shapes and the checks every rule shares. */
export interface ShapeContext {
  ins: FeatureShape[];
  fail(rule: SpecRule, detail: string): never;
  /** Fails unless every value is a positive integer. */
  positive(what: string, values: readonly number[]): void;
  /** The single (h, w, c) input, or a failure naming the rank. */
  image(): Shape3;
  /** Output (h, w) of a sliding window, or a failure naming the axis that does not fit. */
  windowed(what: string, kernel: Pair, strides: Pair, dilation: Pair, padding: Padding): [number, number];
}

export interface LayerKindDef<L extends Layer> {
  /** The Keras class `model.summary()` prints. */
  kerasClass: string;
  /** Keras' automatic name prefix (`conv2d`, `conv2d_1`, ...). */
  namePrefix: string;
  /** Required fields besides name/kind/inputs/trainable, with their types (the kind's KIND_FIELDS entry). */
  fields: Readonly<Record<string, FieldType>>;
  /** How many inputs: none (input), exactly one, or two and more (merges). */
  arity: 'none' | 'one' | 'many';
  /** Output shape (no batch); fails through the context when Keras would reject the layer. */
  shape(layer: L, c: ShapeContext): FeatureShape;
  /** Parameter tensors in Keras' weight order, from the (first) input shape. */
  params?(layer: L, inShape: FeatureShape): Array<Pick<ParamInfo, 'param' | 'shape'> & { trainable?: boolean }>;
  /** Multiply-accumulates per image (0 when absent). */
  macs?(layer: L, inShape: FeatureShape, outShape: FeatureShape): number;
  /** Sliding-window layers: the window, for explicit pads and (unless receptiveField says otherwise) the receptive field. */
  window?(layer: L): SlidingWindow;
  /** Receptive field of the output from the widest input's (absent: through `window`, else unchanged). */
  receptiveField?(rf: ReceptiveField, layer: L, inShape: FeatureShape): ReceptiveField;
}

const fmt = (s: readonly number[]) => `(${s.join(', ')})`;
const lastDim = (s: FeatureShape) => s[s.length - 1]!;
const same = (_: Layer, c: ShapeContext): FeatureShape => [...c.ins[0]!];

/** A kind's rules: its definition but the fields, which KIND_FIELDS declares. */
type KindRules<L extends Layer> = Omit<LayerKindDef<L>, 'fields'>;

function pool(kerasClass: string, namePrefix: string): KindRules<LayerOf<'maxPool2d' | 'avgPool2d'>> {
  return {
    kerasClass,
    namePrefix,
    arity: 'one',
    shape: (l, c) => [...c.windowed('pool', l.poolSize, l.strides, [1, 1], l.padding), c.image()[2]],
    window: (l) => ({ kernel: l.poolSize, strides: l.strides, dilation: [1, 1], padding: l.padding }),
  };
}

function merge(kerasClass: string, namePrefix: string, shape: KindRules<LayerOf<'add' | 'concat'>>['shape']) {
  return { kerasClass, namePrefix, arity: 'many' as const, shape };
}

const RULES: { [K in LayerKind]: KindRules<LayerOf<K>> } = {
  input: {
    kerasClass: 'InputLayer',
    namePrefix: 'input_layer',
    arity: 'none',
    shape: (l, c) => (c.positive('shape', l.shape), [...l.shape]),
  },
  conv2d: {
    kerasClass: 'Conv2D',
    namePrefix: 'conv2d',
    arity: 'one',
    shape(l, c) {
      const channels = c.image()[2];
      c.positive('filters', [l.filters]);
      c.positive('groups', [l.groups]);
      if (channels % l.groups !== 0) c.fail('groups', `groups ${l.groups} does not divide the ${channels} input channels`);
      if (l.filters % l.groups !== 0) c.fail('groups', `groups ${l.groups} does not divide the ${l.filters} filters`);
      return [...c.windowed('kernel', l.kernelSize, l.strides, l.dilation, l.padding), l.filters];
    },
    params: (l, inShape) => [
      { param: 'kernel', shape: [...l.kernelSize, lastDim(inShape) / l.groups, l.filters] },
      ...(l.useBias ? [{ param: 'bias' as const, shape: [l.filters] }] : []),
    ],
    macs: (l, inShape, out) => out[0]! * out[1]! * l.kernelSize[0] * l.kernelSize[1] * (inShape[2]! / l.groups) * l.filters,
    window: (l) => ({ kernel: l.kernelSize, strides: l.strides, dilation: l.dilation, padding: l.padding }),
  },
  dense: {
    kerasClass: 'Dense',
    namePrefix: 'dense',
    arity: 'one',
    shape(l, c) {
      c.positive('units', [l.units]);
      const s = c.ins[0]!;
      if (s.length !== 1) {
        c.fail(
          'dense-input-rank',
          `dense needs a 1-D input, got ${fmt(s)}; add a flatten (or globalAvgPool2d) layer before it (Keras would silently apply it to the last axis only)`,
        );
      }
      return [l.units];
    },
    params: (l, inShape) => [{ param: 'kernel', shape: [lastDim(inShape), l.units] }, ...(l.useBias ? [{ param: 'bias' as const, shape: [l.units] }] : [])],
    macs: (l, inShape) => inShape[0]! * l.units,
  },
  maxPool2d: pool('MaxPooling2D', 'max_pooling2d'),
  avgPool2d: pool('AveragePooling2D', 'average_pooling2d'),
  globalAvgPool2d: {
    kerasClass: 'GlobalAveragePooling2D',
    namePrefix: 'global_average_pooling2d',
    arity: 'one',
    shape: (_, c) => [c.image()[2]],
    receptiveField: (rf, _, inShape) => throughWholeMap(rf, inShape),
  },
  zeroPad2d: {
    kerasClass: 'ZeroPadding2D',
    namePrefix: 'zero_padding2d',
    arity: 'one',
    shape(l, c) {
      const { top, bottom, left, right } = l.padding;
      if ([top, bottom, left, right].some((p) => p < 0)) c.fail('non-positive', `padding must not be negative, got ${JSON.stringify(l.padding)}`);
      const [h, w, ch] = c.image();
      return [h + top + bottom, w + left + right, ch];
    },
    receptiveField: (rf, l) => ({ ...rf, start: [rf.start[0] - l.padding.top * rf.jump[0], rf.start[1] - l.padding.left * rf.jump[1]] }),
  },
  batchNorm: {
    kerasClass: 'BatchNormalization',
    namePrefix: 'batch_normalization',
    arity: 'one',
    shape: (l, c) => {
      if (!(l.epsilon > 0)) c.fail('non-positive', `epsilon must be positive, got ${l.epsilon}`);
      return [...c.ins[0]!];
    },
    params(l, inShape) {
      const ch = lastDim(inShape);
      // Keras keeps the moving statistics as non-trainable weights: updated by training, never by gradients.
      return [
        ...(l.scale ? [{ param: 'gamma' as const, shape: [ch] }] : []),
        ...(l.center ? [{ param: 'beta' as const, shape: [ch] }] : []),
        { param: 'moving_mean', shape: [ch], trainable: false },
        { param: 'moving_variance', shape: [ch], trainable: false },
      ];
    },
  },
  activation: { kerasClass: 'Activation', namePrefix: 'activation', arity: 'one', shape: same },
  dropout: {
    kerasClass: 'Dropout',
    namePrefix: 'dropout',
    arity: 'one',
    shape: (l, c) => {
      if (!(l.rate >= 0 && l.rate < 1)) c.fail('dropout-rate', `rate must be in [0, 1), got ${l.rate}`);
      return [...c.ins[0]!];
    },
  },
  flatten: {
    kerasClass: 'Flatten',
    namePrefix: 'flatten',
    arity: 'one',
    shape: (_, c) => [c.ins[0]!.reduce((a, b) => a * b, 1)],
    // a flat input (flatten after dense) already sees everything its input saw
    receptiveField: (rf, _, inShape) => (inShape.length === 3 ? throughWholeMap(rf, inShape) : rf),
  },
  concat: merge('Concatenate', 'concatenate', (l, c) => {
    const first = c.ins[0]!;
    for (const [i, s] of c.ins.entries()) {
      if (s.length !== first.length || s.slice(0, -1).some((d, k) => d !== first[k])) {
        c.fail('concat-mismatch', `inputs '${l.inputs[0]}' ${fmt(first)} and '${l.inputs[i]}' ${fmt(s)} differ in more than the channel axis`);
      }
    }
    return [...first.slice(0, -1), c.ins.reduce((a, s) => a + s[s.length - 1]!, 0)];
  }),
  add: merge('Add', 'add', (l, c) => {
    const first = c.ins[0]!;
    for (const [i, s] of c.ins.entries()) {
      if (s.length !== first.length || s.some((d, k) => d !== first[k])) {
        c.fail('add-mismatch', `inputs '${l.inputs[0]}' ${fmt(first)} and '${l.inputs[i]}' ${fmt(s)} have different shapes`);
      }
    }
    return [...first];
  }),
  resize: {
    kerasClass: 'Resizing',
    namePrefix: 'resizing',
    arity: 'one',
    shape: (l, c) => (c.positive('size', l.size), [l.size[0], l.size[1], c.image()[2]]),
    receptiveField: (rf, l, inShape) => throughResize(rf, inShape, l.size, l.method),
  },
  lrn: {
    kerasClass: 'LRN',
    namePrefix: 'lrn',
    arity: 'one',
    shape: (l, c) => (c.positive('depthRadius', [l.depthRadius]), [...c.image()]),
  },
};

/** Every kind's definition: its rules above and its fields from KIND_FIELDS, in LAYER_KINDS order. */
export const LAYER_DEFS = Object.fromEntries(LAYER_KINDS.map((kind) => [kind, { ...RULES[kind], fields: KIND_FIELDS[kind] }])) as {
  [K in LayerKind]: LayerKindDef<LayerOf<K>>;
};

/** The definition of a layer's kind, typed for that layer. */
export function kindOf<L extends Layer>(layer: L): LayerKindDef<L> {
  return LAYER_DEFS[layer.kind] as unknown as LayerKindDef<L>;
}

type WithActivation = Extract<Layer, { activation: ActivationName }>;

/**
 * The activation a layer applies to its output, for the kinds whose fields carry one (in KIND_FIELDS: conv2d,
 * dense, activation); undefined for every other kind. The one place that decides which kinds carry an activation.
 */
export function layerActivation(layer: Layer): ActivationName | undefined {
  return LAYER_DEFS[layer.kind].fields.activation === 'activation' ? (layer as WithActivation).activation : undefined;
}
