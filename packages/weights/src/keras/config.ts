// spec -> Keras 3 functional model config (the config.json of a .keras archive), laid out as Keras 3.15 writes it
// (module / class_name / config / registered_name / build_config / name / inbound_nodes), so that
// keras.saving.load_model rebuilds the model from built-in layers only: no custom objects, safe_mode stays on.
//
// Layers without a Keras class: `lrn` (tf.nn.local_response_normalization is an op, not a layer; a Lambda would need
// safe_mode=False and Python code) -> KerasExportError. Explicit (asymmetric, PyTorch-style) padding, which Keras
// layers lack, becomes an exact ZeroPadding2D named `<layer>_pad` before the layer: always for conv2d; for maxPool2d
// only when its input cannot be negative (a ReLU output, or a concat/pool of them: zeros then never win the max, as
// with PyTorch's -inf); avgPool2d
// with explicit padding is refused (Keras' average would count the padded zeros differently).
import {
  ACTIVATIONS,
  dispatchKind,
  inferShapes,
  layerActivation,
  type ActivationName,
  type FeatureShape,
  type KindTable,
  type Layer,
  type LayerKind,
  type LayerOf,
  type ModelSpec,
  type Padding,
} from '@convzoo/models';
import { KerasExportError } from './errors.js';
import { kerasLayerOrder } from './order.js';

export type KerasJson = Record<string, unknown>;

const DTYPE = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
const init = (class_name: string, config: KerasJson = {}) => ({ module: 'keras.initializers', class_name, config, registered_name: null });
const GLOROT = () => init('GlorotUniform', { seed: null, input_axes: null, output_axes: null });

type Box = { top: number; bottom: number; left: number; right: number };

interface Emitted {
  class_name: string;
  config: KerasJson;
  /** Layers whose Keras config records the input shape they were built for. */
  build: boolean;
  /** Call arguments Keras records in the inbound node (BatchNormalization: mask). */
  kwargs?: KerasJson;
}

/** Kinds whose output is >= 0 when every input is (they move, pool, pad or merge values, never negate). */
const KEEPS_SIGN: ReadonlySet<LayerKind> = new Set(['concat', 'add', 'maxPool2d', 'avgPool2d', 'globalAvgPool2d', 'zeroPad2d', 'dropout', 'flatten', 'resize']);

/** True when every value `name` produces is >= 0 (ReLU/softmax/sigmoid outputs, and what only moves or pools them). */
function nonNegative(name: string, byName: Map<string, Layer>): boolean {
  const layer = byName.get(name);
  if (!layer) return false;
  const activation = layerActivation(layer);
  if (activation !== undefined) {
    return (
      activation === 'relu' ||
      activation === 'relu6' ||
      activation === 'softmax' ||
      activation === 'sigmoid' ||
      (layer.kind === 'activation' && activation === 'linear' && nonNegative(layer.inputs[0]!, byName))
    );
  }
  return KEEPS_SIGN.has(layer.kind) && layer.inputs.every((i) => nonNegative(i, byName));
}

const isBox = (p: Padding): p is Box => typeof p === 'object';

type Base = { name: string; trainable: boolean; dtype: KerasJson };
const padding = (p: Padding) => (isBox(p) ? 'valid' : p);

/** A layer's entry: Keras' base config (name, trainable, dtype) first, then its own keys in Keras' order. */
const layerEntry = (class_name: string, build: boolean, base: Base, config: KerasJson, kwargs?: KerasJson): Emitted => ({
  class_name,
  build,
  ...(kwargs ? { kwargs } : {}),
  config: { ...base, ...config },
});

/** The keys Conv2D and Dense share, in Keras' order: activation, bias, Glorot kernel, zero bias, no regularizers. */
const kernelAndBias = (layer: LayerOf<'conv2d' | 'dense'>): KerasJson => ({
  activation: layer.activation,
  use_bias: layer.useBias,
  kernel_initializer: GLOROT(),
  bias_initializer: init('Zeros'),
  kernel_regularizer: null,
  bias_regularizer: null,
});

const pooling = (class_name: string, layer: LayerOf<'maxPool2d' | 'avgPool2d'>, base: Base): Emitted =>
  layerEntry(class_name, false, base, {
    pool_size: [...layer.poolSize],
    padding: padding(layer.padding),
    strides: [...layer.strides],
    data_format: 'channels_last',
  });

/** THE Keras 3 export of every layer kind but 'input' (written by specToKerasConfig itself). */
export const KERAS_LAYERS: KindTable<[base: Base], Emitted, Exclude<LayerKind, 'input'>> = {
  conv2d: (layer, base) =>
    layerEntry('Conv2D', true, base, {
      filters: layer.filters,
      kernel_size: [...layer.kernelSize],
      strides: [...layer.strides],
      padding: padding(layer.padding),
      data_format: 'channels_last',
      dilation_rate: [...layer.dilation],
      groups: layer.groups,
      ...kernelAndBias(layer),
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
    }),
  dense: (layer, base) =>
    layerEntry('Dense', true, base, {
      units: layer.units,
      ...kernelAndBias(layer),
      kernel_constraint: null,
      bias_constraint: null,
      quantization_config: null,
    }),
  maxPool2d: (layer, base) => pooling('MaxPooling2D', layer, base),
  avgPool2d: (layer, base) => pooling('AveragePooling2D', layer, base),
  globalAvgPool2d: (_, base) => layerEntry('GlobalAveragePooling2D', false, base, { data_format: 'channels_last', keepdims: false }),
  zeroPad2d: ({ padding: p }, base) =>
    layerEntry('ZeroPadding2D', true, base, {
      padding: [
        [p.top, p.bottom],
        [p.left, p.right],
      ],
      data_format: 'channels_last',
    }),
  batchNorm: (layer, base) =>
    layerEntry(
      'BatchNormalization',
      true,
      base,
      {
        axis: -1,
        momentum: layer.momentum,
        epsilon: layer.epsilon,
        center: layer.center,
        scale: layer.scale,
        beta_initializer: init('Zeros'),
        gamma_initializer: init('Ones'),
        moving_mean_initializer: init('Zeros'),
        moving_variance_initializer: init('Ones'),
        beta_regularizer: null,
        gamma_regularizer: null,
        beta_constraint: null,
        gamma_constraint: null,
        synchronized: false,
        renorm: false,
        renorm_clipping: null,
        renorm_momentum: 0.99,
      },
      { mask: null },
    ),
  activation: (layer, base) => layerEntry('Activation', false, base, { activation: layer.activation }),
  dropout: (layer, base) => layerEntry('Dropout', false, base, { rate: layer.rate, seed: null, noise_shape: null }),
  flatten: (_, base) => layerEntry('Flatten', true, base, { data_format: 'channels_last' }),
  concat: (_, base) => layerEntry('Concatenate', true, base, { axis: -1 }),
  add: (_, base) => layerEntry('Add', true, base, {}),
  resize: (layer, base) =>
    layerEntry('Resizing', true, base, {
      data_format: 'channels_last',
      height: layer.size[0],
      width: layer.size[1],
      interpolation: layer.method,
      crop_to_aspect_ratio: false,
      pad_to_aspect_ratio: false,
      fill_mode: 'constant',
      fill_value: 0.0,
      antialias: false,
    }),
  lrn: (layer) => {
    throw new KerasExportError(
      `layer '${layer.name}' (lrn, local response normalisation) has no Keras layer class; export this model to ONNX instead, or build it without LRN`,
    );
  },
};

function emit(layer: Exclude<Layer, { kind: 'input' }>): Emitted {
  return dispatchKind(KERAS_LAYERS, layer, { name: layer.name, trainable: layer.trainable ?? true, dtype: DTYPE });
}

/** One entry of config.layers, with its inbound node from the given (layer name, shape) inputs. */
function entry(class_name: string, config: KerasJson, build: boolean, inputs: { name: string; shape: FeatureShape }[], kwargs: KerasJson = {}): KerasJson {
  const tensor = (i: { name: string; shape: FeatureShape }) => ({
    class_name: '__keras_tensor__',
    config: { shape: [null, ...i.shape], dtype: 'float32', keras_history: [i.name, 0, 0] },
  });
  const shapes = inputs.map((i) => [null, ...i.shape]);
  return {
    module: 'keras.layers',
    class_name,
    config,
    registered_name: null,
    ...(build ? { build_config: { input_shape: shapes.length === 1 ? shapes[0] : shapes } } : {}),
    name: config.name,
    inbound_nodes: [{ args: [inputs.length === 1 ? tensor(inputs[0]!) : inputs.map(tensor)], kwargs }],
  };
}

/** The Keras 3 functional model config of `spec` (config.json of a .keras archive). */
export function specToKerasConfig(spec: ModelSpec): KerasJson {
  const shapes = inferShapes(spec);
  const byName = new Map(spec.layers.map((l) => [l.name, l]));
  const names = new Set(spec.layers.map((l) => l.name));
  const layers: KerasJson[] = [];
  for (const layer of spec.layers) {
    if (layer.kind === 'input') {
      layers.push({
        module: 'keras.layers',
        class_name: 'InputLayer',
        config: { batch_shape: [null, ...layer.shape], dtype: 'float32', sparse: false, ragged: false, name: layer.name, optional: false },
        registered_name: null,
        name: layer.name,
        inbound_nodes: [],
      });
      continue;
    }
    let inputs = layer.inputs.map((n) => ({ name: n, shape: shapes.get(n)! }));
    const pad = 'padding' in layer && layer.kind !== 'zeroPad2d' && isBox(layer.padding) ? layer.padding : undefined;
    if (pad && (pad.top || pad.bottom || pad.left || pad.right)) {
      if (layer.kind === 'avgPool2d') {
        throw new KerasExportError(`layer '${layer.name}' (avgPool2d) has explicit padding, which no Keras pooling layer computes the same way`);
      }
      if (layer.kind === 'maxPool2d' && !nonNegative(layer.inputs[0]!, byName)) {
        throw new KerasExportError(
          `layer '${layer.name}' (maxPool2d) has explicit padding and its input '${layer.inputs[0]}' may be negative (not a ReLU output), so zero padding would change the max`,
        );
      }
      const padName = `${layer.name}_pad`;
      if (names.has(padName))
        throw new KerasExportError(`layer '${layer.name}' needs a ZeroPadding2D named '${padName}', but the spec already has a layer of that name`);
      const [h, w, c] = inputs[0]!.shape as [number, number, number];
      const config = {
        name: padName,
        trainable: true,
        dtype: DTYPE,
        padding: [
          [pad.top, pad.bottom],
          [pad.left, pad.right],
        ],
        data_format: 'channels_last',
      };
      layers.push(entry('ZeroPadding2D', config, true, inputs));
      inputs = [{ name: padName, shape: [h + pad.top + pad.bottom, w + pad.left + pad.right, c] }];
    }
    const e = emit(layer);
    layers.push(entry(e.class_name, e.config, e.build, inputs, e.kwargs));
  }
  // Keras' own layer order (see order.ts), which model.weights.h5's group numbering follows.
  const inbound = (l: KerasJson) => ((l.inbound_nodes as { args: unknown[] }[])[0]?.args[0] as unknown[] | KerasJson | undefined) ?? [];
  const history = (t: unknown) => (t as { config: { keras_history: string[] } }).config.keras_history[0]!;
  const nodes = layers.map((l) => {
    const a = inbound(l);
    return { name: l.name as string, inputs: Array.isArray(a) ? a.map(history) : [history(a)] };
  });
  const order = kerasLayerOrder(nodes, spec.inputs, spec.outputs);
  const position = new Map(order.map((n, i) => [n, i]));
  const unreachable = nodes.find((n) => !position.has(n.name));
  if (unreachable) throw new KerasExportError(`layer '${unreachable.name}' feeds no output of '${spec.name}'; Keras would drop it`);
  layers.sort((a, b) => position.get(a.name as string)! - position.get(b.name as string)!);
  const ref = (n: string) => [n, 0, 0];
  return {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config: {
      name: spec.name,
      trainable: true,
      layers,
      input_layers: spec.inputs.length === 1 ? ref(spec.inputs[0]!) : spec.inputs.map(ref),
      output_layers: spec.outputs.length === 1 ? ref(spec.outputs[0]!) : spec.outputs.map(ref),
    },
    registered_name: 'Functional',
    build_config: { input_shape: null },
    compile_config: {},
  };
}

/** Keras spells every convzoo activation the same way. */
export const KERAS_ACTIVATIONS: readonly ActivationName[] = ACTIVATIONS;
