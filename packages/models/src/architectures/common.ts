// What every architecture builder shares: option checks that name the model and the option, the shape of a
// layer while a graph is still being built, and the conv + BatchNorm + ReLU unit of the BatchNorm-era networks.
import type { PairLike, SpecBuilder } from '../graph.js';
import { ACTIVATIONS } from '../schema.js';
import { inferShapes } from '../shapes.js';
import type { ActivationName, FeatureShape, ModelSpec, Padding, Shape3 } from '../types.js';

/** Options most builders take. Only `inputShape` and `classes` are common to all of them. */
export interface InputOptions {
  /** Height, width, channels of one image (NHWC without the batch). */
  inputShape?: Shape3;
}
export interface ClassifierOptions extends InputOptions {
  /** Units of the last dense layer. */
  classes?: number;
  /** Activation of the last dense layer (Keras' `classifier_activation`): 'softmax' by default, 'linear' for logits. */
  classifierActivation?: ActivationName;
  /** false: the feature extractor only, without the classifier (Keras' include_top). Default true. */
  includeTop?: boolean;
}

export interface Head {
  includeTop: boolean;
  classes: number;
  activation: ActivationName;
}

/**
 * includeTop, classes and the classifier's activation. Classifier options given together with includeTop: false
 * are a contradiction the user should hear about, not options to drop silently.
 */
export function checkHead(
  model: string,
  o: ClassifierOptions,
  defaultClasses: number,
  defaultActivation: (classes: number) => ActivationName = () => 'softmax',
): Head {
  const includeTop = checkBoolean(model, 'includeTop', o.includeTop, true);
  if (!includeTop) {
    for (const option of ['classes', 'classifierActivation'] as const) {
      if (o[option] !== undefined) throw new ModelOptionError(model, option, 'applies only with includeTop: true');
    }
  }
  const classes = checkPositiveInt(model, 'classes', o.classes, defaultClasses);
  return { includeTop, classes, activation: checkActivation(model, 'classifierActivation', o.classifierActivation, defaultActivation(classes)) };
}

/** An Error whose message starts with the model, as the registry and the CLI show it to users. */
export class ModelOptionError extends Error {
  constructor(
    readonly model: string,
    readonly option: string,
    detail: string,
  ) {
    super(`${model}: option '${option}' ${detail}`);
    this.name = 'ModelOptionError';
  }
}

export function checkInputShape(model: string, shape: Shape3 | undefined, fallback: Shape3): Shape3 {
  if (shape === undefined) return [...fallback];
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ModelOptionError(model, 'inputShape', `must be [height, width, channels] of positive integers, got ${JSON.stringify(shape)}`);
  }
  return [shape[0], shape[1], shape[2]];
}

export function checkPositiveInt(model: string, option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new ModelOptionError(model, option, `must be a positive integer, got ${JSON.stringify(value)}`);
  return value;
}

export function checkPositiveNumber(model: string, option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new ModelOptionError(model, option, `must be a positive number, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function checkChoice<T extends string>(model: string, option: string, value: T | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) {
    throw new ModelOptionError(model, option, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function checkBoolean(model: string, option: string, value: boolean | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ModelOptionError(model, option, `must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

export function checkActivation(model: string, option: string, value: ActivationName | undefined, fallback: ActivationName): ActivationName {
  return checkChoice(model, option, value, ACTIVATIONS, fallback);
}

/**
 * The output shape of layer `x` of a graph still being built. Builders need it where the architecture depends on
 * the feature map's size (PyTorch's ceil-mode pooling, AlexNet's adaptive pooling).
 */
export function shapeAt(b: SpecBuilder, x: string): FeatureShape {
  const partial: ModelSpec = {
    format: 'convzoo.spec/1',
    name: b.name,
    inputs: b.layers.filter((l) => l.kind === 'input').map((l) => l.name),
    outputs: [x],
    layers: b.layers,
  };
  const shape = inferShapes(partial).get(x);
  if (shape === undefined) throw new Error(`${b.name}: no layer '${x}' in the graph being built`);
  return shape;
}

/**
 * PyTorch's MaxPool2d(ceil_mode=True) with no padding: the last window may hang over the bottom/right edge and
 * sees only real cells. Written as explicit padding after the input, which max pooling ignores. The output size is
 * PyTorch's (pooling_output_shape: ceil division, and no window may start past the input); where PyTorch has no
 * output, no padding is added and validation rejects the input as PyTorch does.
 */
export function ceilModeMaxPool(b: SpecBuilder, x: string, o: { poolSize: number; strides: number; name: string }): string {
  const [h, w] = shapeAt(b, x) as [number, number, number];
  const { poolSize: k, strides: s } = o;
  const extra = (n: number) => {
    let out = Math.floor((n - k + s - 1) / s) + 1;
    if ((out - 1) * s >= n) out -= 1;
    return out >= 1 ? Math.max((out - 1) * s + k - n, 0) : 0;
  };
  const padding: Padding = { top: 0, bottom: extra(h), left: 0, right: extra(w) };
  return b.maxPool2d(x, { poolSize: o.poolSize, strides: o.strides, padding, name: o.name });
}

/** BatchNorm settings; PyTorch's momentum 0.1 is Keras' 0.9 (Keras keeps `momentum` of the old statistics). */
export interface BnSettings {
  epsilon: number;
  momentum: number;
}
export const TORCH_BN: BnSettings = { epsilon: 1e-5, momentum: 0.9 };

/**
 * Conv (no bias: the BatchNorm's beta replaces it) + BatchNorm + ReLU, named `<name>_conv`, `<name>_bn`,
 * `<name>_relu` as torchvision's BasicConv2d (`<name>.conv`, `<name>.bn`).
 */
export function convBnRelu(
  b: SpecBuilder,
  x: string,
  o: { name: string; filters: number; kernelSize: PairLike; strides?: PairLike; padding?: Padding; bn: BnSettings },
): string {
  const y = b.conv2d(x, {
    name: `${o.name}_conv`,
    filters: o.filters,
    kernelSize: o.kernelSize,
    strides: o.strides ?? 1,
    padding: o.padding ?? 'valid',
    useBias: false,
  });
  const n = b.batchNorm(y, { name: `${o.name}_bn`, ...o.bn });
  return b.relu(n, { name: `${o.name}_relu` });
}

/** PyTorch's symmetric `padding=(ph, pw)` as an explicit box. */
export const torchPad = (ph: number, pw: number = ph): Padding => ({ top: ph, bottom: ph, left: pw, right: pw });
