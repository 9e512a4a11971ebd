// One training step per architecture family, checked against Keras (fixtures/conformance-references.json,
// `training`): the smallest member of each family at the conformance input size, batch 2, seeded weights and
// inputs, one-hot targets, plain SGD (lr 0.01) so the update is the gradient itself. Dropout rates are set to 0:
// its random masks cannot be the same in two engines; everything else (BatchNorm batch statistics and moving
// averages, every conv/pool/concat/add gradient, aux-head loss weights) is exercised.
import type { ModelSpec } from '@convzoo/spec';
import { inferShapes } from '@convzoo/spec';
import type { LossName, Tensor, TrainingConfig, WeightMap } from '@convzoo/backend';
import { architectureCases, type ConformanceCase } from './conformance-cases.js';
import { firstRows, randomInputs, randomWeights, REFERENCE_BATCH, REFERENCE_SEED } from './conformance-data.js';
import references from '../fixtures/conformance-references.json';

const ALEXNET_SEED = 2;

/**
 * The member trained per family (by architecture case model name and flavour). Not ResNet18/Inception-v3 at these
 * sizes: their last BatchNorms normalise 1x1 maps over a batch of 2, where the gradient is dominated by epsilon and
 * rounding (Keras and tfjs updates differ by 5%); a well-posed step there needs batch >= 8, minutes on tfjs-cpu.
 */
const FAMILIES: readonly [string, string, number?][] = [
  ['lenet', 'tutorial'],
  // Seed 1 puts two cells of AlexNet's last max-pool window within 1e-6 of each other (0.4496817 vs 0.4496821):
  // which one wins, and so where the gradient goes, is float rounding, which differs between engines.
  ['alexnet', 'tutorial', ALEXNET_SEED],
  ['vgg11_bn', 'keras'],
  ['googlenet', 'tutorial'],
  ['resnet_tutorial', 'tutorial'],
  ['resnet20', 'paper'],
];

export interface TrainingCase {
  /** `train: <architecture case name>` */
  name: string;
  /** Weights and inputs seed, when not REFERENCE_SEED. */
  seed?: number;
  model: { name: string; flavour: string };
  spec: () => ModelSpec;
  training: TrainingConfig;
}

/** The spec with every dropout rate 0: engines draw masks from different random streams. */
export const withoutDropout = (spec: ModelSpec): ModelSpec => ({ ...spec, layers: spec.layers.map((l) => (l.kind === 'dropout' ? { ...l, rate: 0 } : l)) });

function lossFor(spec: ModelSpec): TrainingConfig {
  const byName = new Map(spec.layers.map((l) => [l.name, l]));
  const loss: LossName[] = spec.outputs.map((o) => {
    const l = byName.get(o);
    return l?.kind === 'dense' && l.activation === 'sigmoid' ? 'binaryCrossentropy' : 'categoricalCrossentropy';
  });
  return { optimizer: { kind: 'sgd', learningRate: 0.01 }, loss, ...(spec.outputs.length === 3 ? { lossWeights: [1, 0.3, 0.3] } : {}) };
}

export function trainingCases(): TrainingCase[] {
  const cases = architectureCases();
  return FAMILIES.map(([name, flavour, seed]) => {
    const c: ConformanceCase | undefined = cases.find((x) => x.model?.name === name && x.model.flavour === flavour);
    if (!c) throw new Error(`training case: no architecture case ${name} (${flavour})`);
    const spec = () => withoutDropout(typeof c.spec === 'function' ? c.spec() : c.spec);
    return { name: `train: ${c.name}`, model: { name, flavour }, spec, training: lossFor(spec()), ...(seed !== undefined ? { seed } : {}) };
  });
}

/** Seeded one-hot targets (image i of output o is class (i + o) mod classes; a sigmoid output gets i mod 2). */
export function trainingTargets(spec: ModelSpec, batch: number): Tensor[] {
  const shapes = inferShapes(spec);
  return spec.outputs.map((o, k) => {
    const classes = shapes.get(o)![0]!;
    const data = new Float32Array(batch * classes);
    for (let i = 0; i < batch; i++) data[i * classes + (classes === 1 ? 0 : (i + k) % classes)] = classes === 1 ? i % 2 : 1;
    return { shape: [batch, classes], data };
  });
}

export interface TrainingData {
  spec: ModelSpec;
  weights: WeightMap;
  inputs: Tensor[];
  targets: Tensor[];
}

export function trainingData(c: TrainingCase): TrainingData {
  const spec = c.spec();
  const seed = c.seed ?? REFERENCE_SEED;
  const inputs = randomInputs(spec, REFERENCE_BATCH, seed).map((t) => firstRows(t, REFERENCE_BATCH));
  return { spec, weights: randomWeights(spec, seed), inputs, targets: trainingTargets(spec, REFERENCE_BATCH) };
}

export interface TrainingReference {
  source: string;
  loss: number;
  /** Per parameter: L2 norm of the update, and the update at a few evenly spaced flat indices. */
  updates: Record<string, { norm: number; index: number[]; delta: number[] }>;
}

const stored = (references as { training?: Record<string, TrainingReference> }).training ?? {};

export function kerasTrainingReference(name: string): TrainingReference | undefined {
  return stored[name];
}

/** Per parameter, why the update `after - before` differs from Keras' (empty when it matches within `tolerance`). */
export function updateMismatches(before: WeightMap, after: WeightMap, ref: TrainingReference, tolerance = 1e-3): string[] {
  const problems: string[] = [];
  for (const [name, u] of Object.entries(ref.updates)) {
    const a = after[name];
    const b = before[name];
    if (!a || !b) {
      problems.push(`${name}: missing`);
      continue;
    }
    let sq = 0;
    for (let i = 0; i < a.data.length; i++) sq += (a.data[i]! - b.data[i]!) ** 2;
    const norm = Math.sqrt(sq);
    // Below 1e-4 an update is float32 noise, not a gradient: a conv bias right before BatchNorm has a zero gradient.
    const scale = Math.max(u.norm, 1e-4);
    if (Math.abs(norm - u.norm) > tolerance * scale) problems.push(`${name}: |update| ${norm.toExponential(4)}, Keras ${u.norm.toExponential(4)}`);
    const worst = Math.max(...u.index.map((idx, k) => Math.abs(a.data[idx]! - b.data[idx]! - u.delta[k]!)));
    if (worst > tolerance * scale) problems.push(`${name}: update differs by ${worst.toExponential(2)} at sampled indices (|update| ${u.norm.toExponential(2)})`);
  }
  return problems;
}
