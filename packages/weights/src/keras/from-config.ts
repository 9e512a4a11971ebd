// Keras model config (config.json of a .keras archive; Functional or Sequential, Keras 3 or 2) -> convzoo spec, for
// the built-in layers convzoo has. Anything else fails naming the layer and its class.
import { validate, type ActivationName, type Layer, type ModelSpec, type Pair, type Padding, type Shape3 } from '@convzoo/models';
import { WeightImportError } from '../tfjs-layers.js';
import { KERAS_ACTIVATIONS, type KerasJson } from './config.js';

interface KerasLayerJson {
  class_name?: unknown;
  name?: unknown;
  config?: KerasJson;
  inbound_nodes?: unknown;
}

const pair = (v: unknown, what: string, fail: (m: string) => never): Pair => {
  if (typeof v === 'number' && Number.isInteger(v)) return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((d) => Number.isInteger(d))) return [v[0] as number, v[1] as number];
  return fail(`${what} must be an integer or a pair of integers, got ${JSON.stringify(v)}`);
};

/** Layer names feeding a Functional layer: inbound_nodes[0].args (Keras 3) or inbound_nodes[0][i][0] (Keras 2). */
function inboundNames(inbound: unknown, fail: (m: string) => never): string[] {
  if (!Array.isArray(inbound) || inbound.length === 0) return [];
  if (inbound.length > 1) fail('is called more than once (shared layers are not supported)');
  const node = inbound[0] as unknown;
  if (Array.isArray(node)) return node.map((n) => String((n as unknown[])[0]));
  const args = (node as { args?: unknown[] }).args;
  if (!Array.isArray(args) || args.length === 0) return fail('has an inbound node without args');
  const first = args[0];
  const tensors = Array.isArray(first) ? first : [first];
  return tensors.map((t) => {
    const h = (t as { config?: { keras_history?: unknown[] } }).config?.keras_history;
    if (!Array.isArray(h) || typeof h[0] !== 'string') return fail('has an inbound tensor without keras_history');
    return h[0];
  });
}

function convertLayer(l: KerasLayerJson, inputs: string[], source: string): Layer {
  const cls = String(l.class_name);
  const c = l.config ?? {};
  const name = String(c.name ?? l.name);
  const fail = (m: string): never => {
    throw new WeightImportError(`${source}: layer '${name}' (${cls}) ${m}`);
  };
  const trainable = c.trainable === false ? { trainable: false } : {};
  const activation = (): ActivationName => {
    const a = c.activation ?? 'linear';
    if (typeof a === 'string' && (KERAS_ACTIVATIONS as readonly string[]).includes(a)) return a as ActivationName;
    return fail(`has activation ${JSON.stringify(a)}; convzoo has ${KERAS_ACTIVATIONS.join(', ')}`);
  };
  const padding = (): Padding => (c.padding === 'same' || c.padding === 'valid' ? c.padding : fail(`has padding ${JSON.stringify(c.padding)}`));
  if (c.data_format !== undefined && c.data_format !== 'channels_last') fail(`has data_format ${JSON.stringify(c.data_format)}; convzoo is channels_last`);
  switch (cls) {
    case 'Conv2D':
      return {
        kind: 'conv2d',
        name,
        inputs,
        ...trainable,
        filters: Number(c.filters),
        kernelSize: pair(c.kernel_size, 'kernel_size', fail),
        strides: pair(c.strides ?? 1, 'strides', fail),
        padding: padding(),
        dilation: pair(c.dilation_rate ?? 1, 'dilation_rate', fail),
        groups: Number(c.groups ?? 1),
        useBias: c.use_bias !== false,
        activation: activation(),
      };
    case 'Dense':
      return { kind: 'dense', name, inputs, ...trainable, units: Number(c.units), useBias: c.use_bias !== false, activation: activation() };
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const poolSize = pair(c.pool_size, 'pool_size', fail);
      return {
        kind: cls === 'MaxPooling2D' ? 'maxPool2d' : 'avgPool2d',
        name,
        inputs,
        ...trainable,
        poolSize,
        strides: c.strides == null ? poolSize : pair(c.strides, 'strides', fail),
        padding: padding(),
      };
    }
    case 'GlobalAveragePooling2D':
      if (c.keepdims === true) fail('has keepdims: true');
      return { kind: 'globalAvgPool2d', name, inputs, ...trainable };
    case 'ZeroPadding2D': {
      const p = c.padding;
      let box: [Pair, Pair];
      if (typeof p === 'number')
        box = [
          [p, p],
          [p, p],
        ];
      else if (Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === 'number'))
        box = [
          [p[0] as number, p[0] as number],
          [p[1] as number, p[1] as number],
        ];
      else if (Array.isArray(p) && p.length === 2) box = [pair(p[0], 'padding[0]', fail), pair(p[1], 'padding[1]', fail)];
      else return fail(`has padding ${JSON.stringify(p)}`);
      return { kind: 'zeroPad2d', name, inputs, ...trainable, padding: { top: box[0][0], bottom: box[0][1], left: box[1][0], right: box[1][1] } };
    }
    case 'BatchNormalization': {
      const axis = Array.isArray(c.axis) ? c.axis : [c.axis ?? -1];
      if (axis.length !== 1 || (axis[0] !== -1 && axis[0] !== 3)) fail(`normalises axis ${JSON.stringify(c.axis)}; convzoo normalises channels (-1)`);
      return {
        kind: 'batchNorm',
        name,
        inputs,
        ...trainable,
        epsilon: Number(c.epsilon ?? 1e-3),
        momentum: Number(c.momentum ?? 0.99),
        center: c.center !== false,
        scale: c.scale !== false,
      };
    }
    case 'Activation':
      return { kind: 'activation', name, inputs, ...trainable, activation: activation() };
    case 'ReLU':
      if ((c.max_value ?? null) !== null || Number(c.negative_slope ?? 0) !== 0 || Number(c.threshold ?? 0) !== 0) fail('is not a plain ReLU');
      return { kind: 'activation', name, inputs, ...trainable, activation: 'relu' };
    case 'Softmax':
      return { kind: 'activation', name, inputs, ...trainable, activation: 'softmax' };
    case 'Dropout':
      return { kind: 'dropout', name, inputs, ...trainable, rate: Number(c.rate) };
    case 'Flatten':
      return { kind: 'flatten', name, inputs, ...trainable };
    case 'Concatenate':
      if (c.axis !== -1 && c.axis !== 3) fail(`concatenates along axis ${JSON.stringify(c.axis)}; convzoo concatenates channels (-1)`);
      return { kind: 'concat', name, inputs, ...trainable, axis: -1 };
    case 'Add':
      return { kind: 'add', name, inputs, ...trainable };
    case 'Resizing':
      if (c.interpolation !== 'bilinear' && c.interpolation !== 'nearest') fail(`has interpolation ${JSON.stringify(c.interpolation)}`);
      if (c.crop_to_aspect_ratio === true || c.pad_to_aspect_ratio === true || c.antialias === true) fail('crops, pads or antialiases');
      return { kind: 'resize', name, inputs, ...trainable, size: [Number(c.height), Number(c.width)], method: c.interpolation as 'bilinear' | 'nearest' };
    default:
      return fail(
        'has no convzoo layer kind; supported: Conv2D, Dense, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, ZeroPadding2D, BatchNormalization, Activation, ReLU, Softmax, Dropout, Flatten, Concatenate, Add, Resizing',
      );
  }
}

function inputLayer(l: KerasLayerJson, source: string): Layer {
  const c = l.config ?? {};
  const name = String(c.name ?? l.name);
  const shape = (c.batch_shape ?? c.batch_input_shape) as unknown;
  if (!Array.isArray(shape) || shape.length !== 4 || !shape.slice(1).every((d) => Number.isInteger(d) && d > 0)) {
    throw new WeightImportError(`${source}: input '${name}' has shape ${JSON.stringify(shape)}; convzoo needs [batch, height, width, channels]`);
  }
  return { kind: 'input', name, inputs: [], shape: shape.slice(1) as Shape3 };
}

const refName = (r: unknown): string => (Array.isArray(r) ? String(r[0]) : String(r));
/** ['x', 0, 0] or [['x', 0, 0], ...] -> names. */
const refNames = (r: unknown): string[] => (Array.isArray(r) && Array.isArray(r[0]) ? r.map(refName) : r === undefined ? [] : [refName(r)]);

/** The convzoo spec of a Keras Functional or Sequential model config (config.json); validated. */
export function kerasConfigToSpec(config: unknown, source: string): ModelSpec {
  const root = config as {
    class_name?: unknown;
    config?: { name?: unknown; layers?: unknown; input_layers?: unknown; output_layers?: unknown; build_input_shape?: unknown };
  };
  const cls = root?.class_name;
  const layersJson = root?.config?.layers;
  if ((cls !== 'Functional' && cls !== 'Model' && cls !== 'Sequential') || !Array.isArray(layersJson)) {
    throw new WeightImportError(`${source}: config.json is not a Keras Functional or Sequential model (class_name ${JSON.stringify(cls)})`);
  }
  const name = String(root.config!.name ?? 'model');
  const layers: Layer[] = [];
  if (cls === 'Sequential') {
    let prev: string | undefined;
    for (const [i, l] of (layersJson as KerasLayerJson[]).entries()) {
      if (l.class_name === 'InputLayer') {
        if (i !== 0) throw new WeightImportError(`${source}: Sequential model has an InputLayer at position ${i}`);
        layers.push(inputLayer(l, source));
      } else {
        if (prev === undefined) {
          const shape = l.config?.batch_input_shape ?? l.config?.batch_shape ?? root.config!.build_input_shape;
          layers.push(inputLayer({ name: `${name}_input`, config: { name: `${name}_input`, batch_shape: shape } }, source));
        }
        layers.push(convertLayer(l, [layers[layers.length - 1]!.name], source));
      }
      prev = layers[layers.length - 1]!.name;
    }
    return finish({ name, layers, inputs: [layers[0]!.name], outputs: [layers[layers.length - 1]!.name] }, source);
  }
  for (const l of layersJson as KerasLayerJson[]) {
    if (l.class_name === 'InputLayer') {
      layers.push(inputLayer(l, source));
      continue;
    }
    const lname = String(l.config?.name ?? l.name);
    const inputs = inboundNames(l.inbound_nodes, (m) => {
      throw new WeightImportError(`${source}: layer '${lname}' ${m}`);
    });
    layers.push(convertLayer(l, inputs, source));
  }
  return finish({ name, layers, inputs: refNames(root.config!.input_layers), outputs: refNames(root.config!.output_layers) }, source);
}

function finish(parts: Pick<ModelSpec, 'name' | 'layers' | 'inputs' | 'outputs'>, source: string): ModelSpec {
  const spec: ModelSpec = { format: 'convzoo.spec/1', ...parts, meta: { importedFrom: 'keras' } };
  try {
    validate(spec);
  } catch (e) {
    throw new WeightImportError(`${source}: the Keras model is not a valid convzoo spec: ${(e as Error).message}`);
  }
  return spec;
}
