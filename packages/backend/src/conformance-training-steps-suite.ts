// The ten-step Keras training check as a vitest suite every training backend runs:
//
//   describeTrainingSteps({ backend: 'onnx-cpu', setup: () => registerOnnxBackends() });
//
// Per case: every step's loss, and every parameter's total update (BatchNorm moving statistics included) against
// Keras' (conformance-training-steps.ts). `mutants` also trains two deliberately wrong recipes and requires the
// check to FAIL them: it shows the bounds are tight enough to catch a wrong Adam epsilon or BatchNorm momentum.
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultRegistry, type BackendRegistry, type TrainableModel, type TrainingConfig, type WeightMap } from '@convzoo/backend';
import type { ModelSpec } from '@convzoo/models';
import { trainingData } from './conformance-training.js';
import { kerasStepsReference, trainingStepsCases, updateErrors, type StepsCase, type StepsReference, type UpdateErrors } from './conformance-training-steps.js';

export interface TrainingStepsOptions {
  backend: string;
  setup?: () => void | Promise<void>;
  registry?: BackendRegistry;
  /** Which cases (default all); a filter by case. */
  cases?: (c: StepsCase) => boolean;
  /** Also run the mutants that must fail. */
  mutants?: boolean;
  /** Per-test timeout in ms. */
  timeout?: number;
}

interface Run {
  losses: number[];
  errors: UpdateErrors;
}

async function train(registry: BackendRegistry, backend: string, c: StepsCase, ref: StepsReference, spec?: ModelSpec, training?: TrainingConfig): Promise<Run> {
  const data = trainingData(c);
  const weights: WeightMap = data.weights;
  const model = (await registry.compile(spec ?? data.spec, { backend, weights, strictWeights: true, training: training ?? c.training })) as TrainableModel;
  try {
    const losses: number[] = [];
    for (let i = 0; i < c.steps; i++) losses.push((await model.trainStep(data.inputs, data.targets)).loss);
    return { losses, errors: updateErrors(weights, await model.getWeights(), ref) };
  } finally {
    model.dispose();
  }
}

const lossError = (losses: number[], ref: number[]): number => Math.max(...ref.map((r, i) => Math.abs(losses[i]! - r) / Math.max(1, Math.abs(r))));

const fmt = (r: Run, ref: StepsReference) => {
  const worst = r.errors.tensors.slice(0, 2).map((e) => `${e.name} ${e.error.toExponential(1)}`);
  const { total, tensors } = r.errors;
  return `loss err ${lossError(r.losses, ref.losses).toExponential(1)}, total update err ${total.toExponential(1)}, worst ${worst.join(', ')} of ${tensors.length}`;
};

export function describeTrainingSteps(options: TrainingStepsOptions): void {
  const { backend } = options;
  const registry = () => options.registry ?? defaultRegistry;
  describe(`${backend}: ten training steps per family agree with Keras (updates relative to their size)`, () => {
    beforeAll(async () => {
      await options.setup?.();
      await registry().resolve(backend);
    });
    for (const c of trainingStepsCases().filter(options.cases ?? (() => true))) {
      it(
        c.name,
        async () => {
          const ref = kerasStepsReference(c.name);
          expect(ref, `no Keras reference for '${c.name}' in @convzoo/backend fixtures/training-steps-references.json`).toBeDefined();
          const run = await train(registry(), backend, c, ref!);
          console.log(`${backend} ${c.name}: ${fmt(run, ref!)}`);
          expect(lossError(run.losses, ref!.losses), `losses ${run.losses.join(', ')} vs Keras ${ref!.losses.join(', ')}`).toBeLessThanOrEqual(
            c.stepsLossTolerance,
          );
          expect(run.errors.total, 'whole-net update error').toBeLessThanOrEqual(c.stepsTotalTolerance);
          expect(run.errors.tensors.filter((e) => !(e.error <= c.stepsTolerance))).toEqual([]);
        },
        options.timeout,
      );
    }
    if (options.mutants) {
      // Each mutant changes one number of the recipe on our side only; the check must report it.
      const cases = trainingStepsCases();
      const adam = cases.find((c) => c.name.startsWith('adam') && c.model.name === 'lenet')!;
      const bn = cases.find((c) => c.name.startsWith('sgd') && c.model.name === 'resnet20')!;
      it(
        `fails a wrong Adam epsilon (1e-5 for Keras' 1e-7) on ${adam.name}`,
        async () => {
          const ref = kerasStepsReference(adam.name)!;
          const run = await train(registry(), backend, adam, ref, undefined, { ...adam.training, optimizer: { kind: 'adam', epsilon: 1e-5 } });
          console.log(`${backend} mutant epsilon 1e-5: ${fmt(run, ref)}`);
          expect(run.errors.tensors[0]!.error).toBeGreaterThan(adam.stepsTolerance);
          expect(run.errors.total).toBeGreaterThan(adam.stepsTotalTolerance);
        },
        options.timeout,
      );
      it(
        `fails a wrong BatchNorm momentum (0.9 for 0.99) on ${bn.name}`,
        async () => {
          const ref = kerasStepsReference(bn.name)!;
          const spec = bn.spec();
          const wrong = { ...spec, layers: spec.layers.map((l) => (l.kind === 'batchNorm' ? { ...l, momentum: 0.9 } : l)) };
          const run = await train(registry(), backend, bn, ref, wrong);
          console.log(`${backend} mutant BN momentum 0.9: ${fmt(run, ref)}`);
          expect(run.errors.tensors[0]!.error).toBeGreaterThan(bn.stepsTolerance);
        },
        options.timeout,
      );
    }
  });
}
