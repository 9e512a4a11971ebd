// Checks of what callers hand a model, shared by every adapter so all backends reject bad input with the same words:
// inputs (count, names, shapes, NaN), weight maps (unknown, missing, wrong shape) and initial weights.
import { inferShapes, paramInfos, type FeatureShape, type ModelSpec, type ParamInfo } from '@convzoo/spec';
import type { CompileOptions, ModelInput, Tensor, WeightMap } from './contract.js';
import { BackendError } from './errors.js';
import { initParam } from './init.js';
import { assertFinite, checkTensor, formatShape, sameShape } from './tensor.js';

const isTensor = (x: unknown): x is Tensor =>
  typeof x === 'object' && x !== null && 'shape' in x && 'data' in x && Array.isArray((x as Tensor).shape);

const quoteList = (names: readonly string[], max = 8) =>
  names.slice(0, max).map((n) => `'${n}'`).join(', ') + (names.length > max ? `, … (${names.length} in all)` : '');

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = Math.min(up + 1, row[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length]!;
}

/** The closest known name, when it is close enough to be a typo. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return bestD <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

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
  /** Every parameter of the spec must be present (compile with `strictWeights`). */
  complete?: boolean;
}

/**
 * Checks a weight map against the spec's parameters: the first unknown name (with the closest known one), the first
 * missing one when `complete`, shapes (naming both), data lengths and NaN/Infinity.
 */
export function checkWeights(spec: ModelSpec, weights: WeightMap, options: CheckWeightsOptions = {}, infos: ParamInfo[] = paramInfos(spec)): void {
  if (typeof weights !== 'object' || weights === null) {
    throw new BackendError('weights', `weights for model '${spec.name}' must be a map from parameter name to tensor`);
  }
  const byName = new Map(infos.map((p) => [p.name, p]));
  for (const [name, t] of Object.entries(weights)) {
    const info = byName.get(name);
    if (!info) {
      const close = closestName(name, [...byName.keys()]);
      const hint = close !== undefined ? `did you mean '${close}'? ` : '';
      throw new BackendError(
        'weights',
        `unknown weight '${name}' for model '${spec.name}': ${hint}${byName.size === 0 ? 'the model has no parameters' : `its parameters are ${quoteList([...byName.keys()])}`}`,
      );
    }
    const what = `weight '${name}'`;
    checkTensor(t, what, 'weights');
    if (!sameShape(t.shape, info.shape)) {
      throw new BackendError('weights', `${what} has shape ${formatShape(t.shape)} but model '${spec.name}' expects ${formatShape(info.shape)}`);
    }
    assertFinite(t, what, 'weights');
  }
  if (options.complete) {
    const missing = infos.filter((p) => !(p.name in weights));
    if (missing.length > 0) {
      throw new BackendError(
        'weights',
        `weight '${missing[0]!.name}' of model '${spec.name}' is missing${missing.length > 1 ? ` (and ${missing.length - 1} more)` : ''} and strictWeights is set`,
      );
    }
  }
}

/**
 * The initial parameters of a compiled model: the given weights (checked) and, for every parameter not given,
 * Keras' default initialiser seeded by `options.seed` (an error instead when `strictWeights`). Tensors are copies.
 */
export function initialWeights(spec: ModelSpec, options: Pick<CompileOptions, 'weights' | 'seed' | 'strictWeights'> = {}): WeightMap {
  const infos = paramInfos(spec);
  const given = options.weights ?? {};
  checkWeights(spec, given, { complete: options.strictWeights === true }, infos);
  const out: WeightMap = {};
  for (const p of infos) {
    const t = given[p.name];
    out[p.name] = t ? { shape: [...t.shape], data: new Float32Array(t.data) } : initParam(p, options.seed ?? 0);
  }
  return out;
}
