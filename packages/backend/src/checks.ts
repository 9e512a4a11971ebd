// Checks of what callers hand a model, shared by every adapter so all backends reject bad input with the same words:
// inputs (count, names, shapes, NaN), weight maps (unknown, missing, wrong shape) and initial weights.
import { closestName, inferShapes, paramInfos, type FeatureShape, type ModelSpec, type ParamInfo } from '@convzoo/models';

// Re-exported: backend's public API has offered it since 0.1.
export { closestName };
import type { CompileOptions, ModelInput, Tensor, WeightMap } from './contract.js';
import { BackendError } from './errors.js';
import { initParam } from './init.js';
import { assertFinite, checkTensor, formatShape, sameShape } from './tensor.js';

const isTensor = (x: unknown): x is Tensor => typeof x === 'object' && x !== null && 'shape' in x && 'data' in x && Array.isArray((x as Tensor).shape);

const quoteList = (names: readonly string[], max = 8) =>
  names
    .slice(0, max)
    .map((n) => `'${n}'`)
    .join(', ') + (names.length > max ? `, … (${names.length} in all)` : '');

/** Per-input shapes (without batch) of a spec, in `spec.inputs` order. */
export function inputShapes(spec: ModelSpec, shapes: Map<string, FeatureShape> = inferShapes(spec)): FeatureShape[] {
  return spec.inputs.map((n) => shapes.get(n)!);
}

export interface CheckedInputs {
  /** One tensor per input, in `spec.inputs` order, shape [batch, ...inputShape]. */
  tensors: Tensor[];
  batch: number;
}

/**
 * Normalises a ModelInput (one tensor, an array in `spec.inputs` order, or a map by input name) to a list and checks
 * every tensor: data length, shape [batch, ...input shape] with one batch size for all, and no NaN/Infinity.
 */
export function checkInputs(spec: ModelSpec, x: ModelInput, expected: FeatureShape[] = inputShapes(spec)): CheckedInputs {
  const names = spec.inputs;
  let list: unknown[];
  if (isTensor(x)) {
    if (names.length !== 1) {
      throw new BackendError('input', `model '${spec.name}' has ${names.length} inputs (${quoteList(names)}): pass an array in that order or a map by name`);
    }
    list = [x];
  } else if (Array.isArray(x)) {
    if (x.length !== names.length) {
      throw new BackendError('input', `model '${spec.name}' takes ${names.length} input(s) (${quoteList(names)}), got ${x.length}`);
    }
    list = x;
  } else if (typeof x === 'object' && x !== null) {
    const unknown = Object.keys(x).find((k) => !names.includes(k));
    if (unknown !== undefined) {
      throw new BackendError('input', `model '${spec.name}' has no input '${unknown}'; its inputs are ${quoteList(names)}`);
    }
    const missing = names.find((n) => !(n in x));
    if (missing !== undefined) throw new BackendError('input', `input '${missing}' of model '${spec.name}' is missing`);
    list = names.map((n) => (x as Record<string, Tensor>)[n]);
  } else {
    throw new BackendError('input', `model '${spec.name}' needs a tensor, an array of tensors or a map of tensors by input name`);
  }
  let batch = -1;
  const tensors = list.map((t, i) => {
    const what = `input '${names[i]}'`;
    checkTensor(t, what);
    const want = expected[i]!;
    if (t.shape.length !== want.length + 1 || !sameShape(t.shape.slice(1), want) || t.shape[0]! < 1) {
      throw new BackendError('input', `${what} has shape ${formatShape(t.shape)} but model '${spec.name}' expects [batch, ${want.join(', ')}] (NHWC)`);
    }
    if (batch >= 0 && t.shape[0] !== batch) {
      throw new BackendError('input', `${what} has batch size ${t.shape[0]} but input '${names[0]}' has ${batch}`);
    }
    batch = t.shape[0]!;
    assertFinite(t, what);
    return t;
  });
  return { tensors, batch };
}

export interface CheckWeightsOptions {
  /** Every parameter of the spec must be present (loading a checkpoint or pretrained file, exporting, strictWeights). */
  complete?: boolean;
  /** Why completeness is required, appended to the missing-weight error: `strictWeights is set`. */
  completeBecause?: string;
  /** Where the weights come from (a file path, `toOnnx(lenet)`), prefixed to every error. */
  source?: string;
}

/**
 * THE check that a weight map fits a spec, used by compile, weight import, checkpoints and export alike: the first
 * unknown name (with the closest known one), shapes (naming both), data lengths and NaN/Infinity, and with
 * `complete` the first missing parameter. Throws BackendError('weights').
 */
export function checkWeights(spec: ModelSpec, weights: WeightMap, options: CheckWeightsOptions = {}, infos: ParamInfo[] = paramInfos(spec)): void {
  const fail = (message: string): never => {
    throw new BackendError('weights', options.source !== undefined ? `${options.source}: ${message}` : message);
  };
  if (typeof weights !== 'object' || weights === null) fail(`weights for model '${spec.name}' must be a map from parameter name to tensor`);
  const byName = new Map(infos.map((p) => [p.name, p]));
  for (const [name, t] of Object.entries(weights)) {
    const info = byName.get(name);
    if (!info) {
      const close = closestName(name, [...byName.keys()]);
      const hint = close !== undefined ? `did you mean '${close}'? ` : '';
      fail(
        `unknown weight '${name}' for model '${spec.name}': ${hint}${byName.size === 0 ? 'the model has no parameters' : `its parameters are ${quoteList([...byName.keys()])}`}`,
      );
    }
    const what = `weight '${name}'`;
    try {
      checkTensor(t, what, 'weights');
      if (!sameShape(t.shape, info!.shape)) fail(`${what} has shape ${formatShape(t.shape)} but model '${spec.name}' expects ${formatShape(info!.shape)}`);
      assertFinite(t, what, 'weights');
    } catch (e) {
      if (e instanceof BackendError && options.source !== undefined && !e.message.startsWith(`${options.source}: `)) fail(e.message);
      throw e;
    }
  }
  if (options.complete) {
    const missing = infos.filter((p) => !(p.name in weights));
    if (missing.length > 0) {
      const more = missing.length > 1 ? ` (and ${missing.length - 1} more)` : '';
      fail(`weight '${missing[0]!.name}' of model '${spec.name}' is missing${more}${options.completeBecause ? ` and ${options.completeBecause}` : ''}`);
    }
  }
}

/**
 * The initial parameters of a compiled model: the given weights (checked) and, for every parameter not given,
 * Keras' default initialiser seeded by `options.seed` (an error instead when `strictWeights`). Tensors are copies.
 */
export function initialWeights(
  spec: ModelSpec,
  options: Pick<CompileOptions, 'weights' | 'seed' | 'strictWeights'> = {},
  infos: ParamInfo[] = paramInfos(spec),
): WeightMap {
  const given = options.weights ?? {};
  checkWeights(spec, given, { complete: options.strictWeights === true, completeBecause: 'strictWeights is set' }, infos);
  const out: WeightMap = {};
  for (const p of infos) {
    const t = given[p.name];
    out[p.name] = t ? { shape: [...t.shape], data: new Float32Array(t.data) } : initParam(p, options.seed ?? 0);
  }
  return out;
}
