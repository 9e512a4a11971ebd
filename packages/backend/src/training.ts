// Training configuration shared by every backend that trains: losses per output, loss weights, optimizer defaults
// (Keras') and target checks, so adapters implement the math and nothing else.
import { inferShapes, layerActivation, type ActivationName, type FeatureShape, type ModelSpec } from '@convzoo/models';
import type { AdamConfig, LearningRateSchedule, LossName, ModelTarget, OptimizerConfig, SgdConfig, Tensor, TrainingConfig } from './contract.js';
import { BackendError } from './errors.js';
import { assertFinite, checkTensor, formatShape, sameShape } from './tensor.js';

export const LOSS_NAMES: readonly LossName[] = ['categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy'];

/** Keras' `epsilon()`: probabilities are clipped to [EPSILON, 1 - EPSILON] before the log. */
export const EPSILON = 1e-7;

export interface ResolvedLosses {
  /** One loss per output, in `spec.outputs` order. */
  losses: LossName[];
  /** One weight per output (default 1). */
  weights: number[];
}

export function resolveLosses(spec: ModelSpec, config: TrainingConfig): ResolvedLosses {
  const n = spec.outputs.length;
  const losses = Array.isArray(config.loss) ? [...config.loss] : Array.from({ length: n }, () => config.loss as LossName);
  if (losses.length !== n) {
    throw new BackendError('config', `training.loss lists ${losses.length} losses but model '${spec.name}' has ${n} outputs (${spec.outputs.join(', ')})`);
  }
  losses.forEach((l, i) => {
    if (!LOSS_NAMES.includes(l)) {
      throw new BackendError('config', `training.loss '${String(l)}' for output '${spec.outputs[i]}' is not one of ${LOSS_NAMES.join(', ')}`);
    }
  });
  const weights = config.lossWeights ? [...config.lossWeights] : Array.from({ length: n }, () => 1);
  if (weights.length !== n) {
    throw new BackendError(
      'config',
      `training.lossWeights has ${weights.length} entries but model '${spec.name}' has ${n} outputs (${spec.outputs.join(', ')})`,
    );
  }
  weights.forEach((w, i) => {
    if (!Number.isFinite(w) || w < 0)
      throw new BackendError('config', `training.lossWeights[${i}] (output '${spec.outputs[i]}') must be a finite number >= 0, got ${w}`);
  });
  return { losses, weights };
}

type Resolved<T> = Required<Omit<T, 'learningRateSchedule'>> & { learningRateSchedule?: LearningRateSchedule };
export type ResolvedOptimizer = Resolved<AdamConfig> | Resolved<SgdConfig>;

/** Fills Keras' defaults and rejects nonsense (negative rates, momentum outside [0, 1), unordered schedules). */
export function resolveOptimizer(config: OptimizerConfig): ResolvedOptimizer {
  const check = (name: string, v: number, ok: boolean) => {
    if (!Number.isFinite(v) || !ok) throw new BackendError('config', `optimizer ${config.kind}: ${name} ${v} is out of range`);
  };
  const schedule = config.learningRateSchedule ? { learningRateSchedule: checkSchedule(config.kind, config.learningRateSchedule) } : {};
  if (config.kind === 'adam') {
    const r = {
      kind: 'adam' as const,
      learningRate: config.learningRate ?? 1e-3,
      beta1: config.beta1 ?? 0.9,
      beta2: config.beta2 ?? 0.999,
      epsilon: config.epsilon ?? 1e-7,
      ...schedule,
    };
    check('learningRate', r.learningRate, r.learningRate >= 0);
    check('beta1', r.beta1, r.beta1 >= 0 && r.beta1 < 1);
    check('beta2', r.beta2, r.beta2 >= 0 && r.beta2 < 1);
    check('epsilon', r.epsilon, r.epsilon > 0);
    return r;
  }
  if (config.kind === 'sgd') {
    const r = {
      kind: 'sgd' as const,
      learningRate: config.learningRate ?? 0.01,
      momentum: config.momentum ?? 0,
      nesterov: config.nesterov ?? false,
      decay: config.decay ?? 0,
      weightDecay: config.weightDecay ?? 0,
      ...schedule,
    };
    check('learningRate', r.learningRate, r.learningRate >= 0);
    check('momentum', r.momentum, r.momentum >= 0 && r.momentum < 1);
    check('decay', r.decay, r.decay >= 0);
    check('weightDecay', r.weightDecay, r.weightDecay >= 0);
    return r;
  }
  throw new BackendError('config', `unknown optimizer kind '${String((config as { kind?: unknown }).kind)}': use 'adam' or 'sgd'`);
}

function checkSchedule(kind: string, s: LearningRateSchedule): LearningRateSchedule {
  const bad = (why: string) => new BackendError('config', `optimizer ${kind}: learningRateSchedule ${why}`);
  if (!Array.isArray(s.boundaries) || !Array.isArray(s.values)) throw bad('needs boundaries and values arrays');
  if (s.values.length !== s.boundaries.length + 1)
    throw bad(`has ${s.values.length} values for ${s.boundaries.length} boundaries (needs one more value than boundaries)`);
  s.boundaries.forEach((b, i) => {
    if (!Number.isInteger(b) || b < 1 || (i > 0 && b <= s.boundaries[i - 1]!))
      throw bad(`boundaries must be increasing whole update counts >= 1, got ${JSON.stringify(s.boundaries)}`);
  });
  if (!s.values.every((v) => Number.isFinite(v) && v >= 0)) throw bad(`values must be finite and >= 0, got ${JSON.stringify(s.values)}`);
  return { boundaries: [...s.boundaries], values: [...s.values] };
}

/** The base learning rate of the update that follows `step` updates (before SGD's time decay). */
export function learningRateAt(config: ResolvedOptimizer, step: number): number {
  const s = config.learningRateSchedule;
  if (!s) return config.learningRate;
  const i = s.boundaries.findIndex((b) => step < b);
  return s.values[i === -1 ? s.values.length - 1 : i]!;
}

/** Slot names each optimizer keeps per parameter (`<param>/<slot>` in OptimizerState). */
export function optimizerSlots(config: ResolvedOptimizer): string[] {
  if (config.kind === 'adam') return ['m', 'v'];
  return config.momentum > 0 ? ['momentum'] : [];
}

/** The activation that produces an output: decides whether a cross-entropy reads probabilities or logits. */
export function outputActivation(spec: ModelSpec, output: string): ActivationName {
  const layer = spec.layers.find((l) => l.name === output);
  if (!layer) return 'linear';
  const activation = layerActivation(layer);
  if (activation !== undefined) return activation;
  if (layer.kind === 'dropout' && layer.inputs[0] !== undefined) return outputActivation(spec, layer.inputs[0]);
  return 'linear';
}

/**
 * Normalises targets to one tensor per output and checks them: categorical and binary targets have the output's
 * shape; sparse targets are [batch] or [batch, 1] class indices in [0, classes).
 */
export function checkTargets(spec: ModelSpec, y: ModelTarget, batch: number, losses: LossName[], outputShapes?: FeatureShape[]): Tensor[] {
  const shapes = outputShapes ?? ((s) => spec.outputs.map((o) => s.get(o)!))(inferShapes(spec));
  const list = Array.isArray(y) ? y : [y];
  if (list.length !== spec.outputs.length) {
    throw new BackendError('target', `model '${spec.name}' has ${spec.outputs.length} outputs (${spec.outputs.join(', ')}), got ${list.length} target(s)`);
  }
  return list.map((t, i) => {
    const what = `target for output '${spec.outputs[i]}'`;
    checkTensor(t, what, 'target');
    assertFinite(t, what, 'target');
    const out = shapes[i]!;
    if (losses[i] === 'sparseCategoricalCrossentropy') {
      const ok = (t.shape.length === 1 || (t.shape.length === 2 && t.shape[1] === 1)) && t.shape[0] === batch && out.length === 1;
      if (!ok) throw new BackendError('target', `${what} has shape ${formatShape(t.shape)}; sparse categorical targets are [${batch}] class indices`);
      const classes = out[0]!;
      const bad = t.data.findIndex((v) => !Number.isInteger(v) || v < 0 || v >= classes);
      if (bad >= 0) throw new BackendError('target', `${what}: class index ${t.data[bad]} at row ${bad} is not an integer in [0, ${classes})`);
      return t;
    }
    const want = [batch, ...out];
    if (!sameShape(t.shape, want)) throw new BackendError('target', `${what} has shape ${formatShape(t.shape)} but the output is ${formatShape(want)}`);
    return t;
  });
}
