// The conformance suite every adapter runs in its own tests (vitest):
//
//   describeBackendConformance({ backend: 'tfjs-wasm', setup: () => registerTfjsBackends() });
//
// For every case (every layer corner, then every flavour of every registered architecture at a small input, batch 2,
// seeded random weights and BatchNorm statistics away from the identity), run as its parity spec (architectures'
// logits instead of their softmax, plus three named conv activations as extra outputs): output shapes equal
// inferShapes; every such tensor matches the INDEPENDENT reference in fixtures/parity-references.json (the network's
// own builder: keras.applications, torchvision, the tutorial's Keras code; a Keras translation where no library has
// it) within `tolerance` of that tensor's RMS; setWeights(getWeights()) changes nothing; dispose() leaves the engine
// as it found it and later calls throw. Plus named errors for bad input: wrong shape, NaN, wrong input count,
// unknown/missing weight names.
//
// Parity metric, per tensor: max|out - ref| / rms(ref) <= tolerance (parityBound: 1e-5, or 10x the case's error
// recorded in fixtures/parity-measured.json where larger). Relative to the tensor's own spread, so a shift of 1e-4 of
// it fails wherever it lands (conformance-selftest.test.ts in backend-tfjs).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inferShapes, SpecBuilder, type ModelSpec } from '@convzoo/models';
// Through the package's public entry, so the built conformance.cjs/.js shares the adapters' registry.
import { BackendError, defaultRegistry, type BackendRegistry, type Model, type Tensor, type WeightMap } from '@convzoo/backend';
import { defaultConformanceCases, type ConformanceCase } from './conformance-cases.js';
import { randomInputs } from './conformance-data.js';
import { backendReference, caseData, caseReference, isProblem, type ParityProblem } from './conformance-parity.js';
import { compareParity, parityBound, parityReference, type ParityReference } from './conformance-probes.js';

export type { ConformanceCase } from './conformance-cases.js';
export { defaultConformanceCases, architectureCases, layerCases, leakProbeSpec, uncoveredModels } from './conformance-cases.js';
export {
  parityError,
  randomWeights,
  randomInputs,
  firstRows,
  REFERENCE_BATCH,
  REFERENCE_SEED,
} from './conformance-data.js';
export { caseData, caseReference, backendReference, measureParity, isProblem } from './conformance-parity.js';
export type { CaseData, CaseParity, ParityProblem } from './conformance-parity.js';
export {
  compareParity,
  rmsError,
  sampledIndex,
  paritySpec,
  parityWeights,
  probeLayers,
  parityReference,
  parityBound,
  recordedParity,
  PARITY_BOUND,
  PARITY_GENERATOR,
} from './conformance-probes.js';
export type { ParityReference, StoredTensor, TensorParity } from './conformance-probes.js';
// Training parity: every training backend against a reference backend (tfjs-cpu), step by step.
export {
  describeTrainingConformance,
  relativeError,
  randomTargets,
  trainingParityCases,
  architectureTrainingCases,
  ILL_POSED_TRAINING,
} from './conformance-training-parity.js';
export type { TrainingConformanceOptions, TrainingParityCase } from './conformance-training-parity.js';

export interface ConformanceOptions {
  /** The backend under test, by registry name. */
  backend: string;
  /**
   * A backend whose outputs stand in as the truth for cases the fixtures do not cover (an adapter's own extra
   * graphs). Cases with a fixture always compare with Keras/PyTorch; a case with neither fails.
   */
  reference?: string;
  /** Default: every layer corner and every flavour of every architecture of @convzoo/models's registry. */
  models?: ConformanceCase[];
  /** Parity bound for every case, see the metric above. Default: parityBound(case), PARITY_BOUND (1e-5) or 10x the case's recorded error. */
  tolerance?: number;
  /** Batch size of the test inputs, at most REFERENCE_BATCH (2). Default 2. */
  batch?: number;
  /** Registers the adapters (runs once, before the tests). */
  setup?: () => void | Promise<void>;
  /** Default: @convzoo/backend's process-wide registry. */
  registry?: BackendRegistry;
}

/** The small spec the bad-input tests use: one input, conv + BN + dense, so every weight kind exists. */
function probeSpec(): ModelSpec {
  const b = new SpecBuilder('conformance_probe');
  let x = b.input([6, 6, 2]);
  x = b.conv2d(x, { filters: 3, kernelSize: 3, activation: 'relu' });
  x = b.batchNorm(x);
  x = b.flatten(x);
  x = b.dense(x, { units: 4, activation: 'softmax' });
  return b.build(x);
}

async function expectError(p: Promise<unknown>, code: BackendError['code'], ...fragments: string[]): Promise<void> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(err, `expected a BackendError '${code}'`).toBeInstanceOf(BackendError);
  expect((err as BackendError).code).toBe(code);
  for (const f of fragments) expect((err as BackendError).message).toContain(f);
}

export function describeBackendConformance(options: ConformanceOptions): void {
  const { backend } = options;
  const suiteBatch = options.batch ?? 2;
  const batch = suiteBatch;
  const seed = 1;
  const registry = () => options.registry ?? defaultRegistry;

  describe(`backend conformance: ${backend}`, () => {
    beforeAll(async () => {
      await options.setup?.();
      // An unavailable backend fails the suite with its reason; it is never skipped silently.
      await registry().resolve(backend);
      if (options.reference !== undefined) await registry().resolve(options.reference);
    });

    const memory = async () => (await registry().factory(backend).memory?.())?.tensors;

    describe('bad input gives a named error', () => {
      const spec = probeSpec();
      let model: Model;
      beforeAll(async () => {
        model = await registry().compile(spec, { backend, seed });
      });
      afterAll(() => model?.dispose());
      const input = spec.inputs[0]!;

      it('wrong input shape names the input and the expected shape', async () => {
        await expectError(model.predict({ shape: [2, 6, 6, 3], data: new Float32Array(216) }), 'input', `'${input}'`, '[2, 6, 6, 3]', '[batch, 6, 6, 2]');
        await expectError(model.predict({ shape: [2, 6, 6, 2], data: new Float32Array(10) }), 'input', `'${input}'`, '10 data values');
      });
      it('NaN in an input names the input and where', async () => {
        const x = randomInputs(spec, batch, seed)[0]!;
        x.data[7] = NaN;
        await expectError(model.predict(x), 'input', `'${input}'`, 'NaN', 'index 7');
      });
      it('a wrong number or name of inputs is named', async () => {
        const x = randomInputs(spec, batch, seed)[0]!;
        await expectError(model.predict([x, x]), 'input', 'takes 1 input');
        await expectError(model.predict({ image: x }), 'input', "no input 'image'", `'${input}'`);
      });
      it('an unknown weight name is named, with the closest known one', async () => {
        const w = await model.getWeights();
        await expectError(model.setWeights({ 'conv2d/kernal': w['conv2d/kernel']! }), 'weights', "'conv2d/kernal'", "'conv2d/kernel'");
        await expectError(registry().compile(spec, { backend, weights: { ...w, 'nope/bias': w['dense/bias']! } }), 'weights', "'nope/bias'");
      });
      it('a missing weight is named when strictWeights is set', async () => {
        const w = await model.getWeights();
        delete w['batch_normalization/moving_variance'];
        await expectError(
          registry().compile(spec, { backend, weights: w, strictWeights: true }),
          'weights',
          "'batch_normalization/moving_variance'",
          'missing',
        );
      });
      it('a wrong weight shape names the parameter and both shapes', async () => {
        const bad = { shape: [3, 3, 2, 4], data: new Float32Array(72) };
        await expectError(model.setWeights({ 'conv2d/kernel': bad }), 'weights', "'conv2d/kernel'", '[3, 3, 2, 4]', '[3, 3, 2, 3]');
        await expectError(registry().compile(spec, { backend, weights: { 'conv2d/kernel': bad } }), 'weights', "'conv2d/kernel'", '[3, 3, 2, 4]');
      });
    });

    for (const c of options.models ?? defaultConformanceCases()) {
      // The deeper repeats of a family run one image (their first reference row): the batch path is the family's.
      const batch = c.parityOnly ? 1 : suiteBatch;
      const tolerance = options.tolerance ?? parityBound(c.name);
      describe(c.name, () => {
        let spec: ModelSpec;
        let weights: WeightMap;
        let inputs: Tensor[];
        let ref: ParityReference | ParityProblem;
        let model: Model;
        let before: number | undefined;
        let first: Tensor[];

        beforeAll(async () => {
          ({ spec, weights, inputs } = caseData(c, batch));
          ref = caseReference(c, { spec, weights, inputs }, batch);
          // Only an adapter's own extra graphs (no fixture) fall back to another backend as the truth.
          if (isProblem(ref) && !parityReference(c.name) && options.reference !== undefined && options.reference !== backend && !c.model)
            ref = await backendReference(registry(), options.reference, { spec, weights, inputs });
          before = await memory();
          model = await registry().compile(spec, { backend, weights, strictWeights: true });
          first = await model.predict(inputs);
        });
        afterAll(() => model?.dispose());

        it('output shapes match inferShapes', () => {
          const shapes = inferShapes(spec);
          expect(model.backend).toBe(backend);
          expect(first.map((t) => t.shape)).toEqual(spec.outputs.map((o) => [batch, ...shapes.get(o)!]));
        });

        it(`logits and probed activations match the reference within ${tolerance.toExponential(1)} of their RMS`, () => {
          if (isProblem(ref)) throw new Error(ref.reason);
          const errors = compareParity(spec, first, ref, batch);
          // One line per case, so a run's log is the model x backend table of errors (fixtures/parity-measured.json).
          const worst = Math.max(...errors.map((e) => e.error));
          console.log(
            `parity ${backend} | ${c.name} | ${ref.source} | ${worst.toExponential(2)} | ${errors.map((e) => `${e.layer} ${e.error.toExponential(1)}`).join(', ')}`,
          );
          for (const { layer, error } of errors) {
            expect(error, `'${layer}': max|${backend} - ${ref.source}| / rms(ref)`).toBeLessThanOrEqual(tolerance);
          }
        });

        // Not registered for the deeper repeats of a family (parityOnly): the family's first member covers it.
        if (!c.parityOnly)
          it('setWeights(getWeights()) is the identity', async () => {
            const w = await model.getWeights();
            expect(Object.keys(w).sort()).toEqual(Object.keys(weights).sort());
            for (const [name, t] of Object.entries(weights)) {
              expect(w[name]!.shape, name).toEqual(t.shape);
              expect(
                w[name]!.data.every((v, i) => v === t.data[i]),
                `weight '${name}' read back differs`,
              ).toBe(true);
            }
            await model.setWeights(w);
            const again = await model.predict(inputs);
            again.forEach((t, i) =>
              expect(
                t.data.every((v, k) => v === first[i]!.data[k]),
                `output '${spec.outputs[i]}' changed`,
              ).toBe(true),
            );
          });

        it('dispose() frees everything and later calls throw', async () => {
          model.dispose();
          if (before !== undefined) expect(await memory(), 'engine tensors after dispose()').toBe(before);
          await expectError(model.predict(inputs), 'disposed');
          await expectError(model.getWeights(), 'disposed');
        });
      });
    }
  });
}
export { wrongPaddingBackend } from './conformance-wrong.js';
export type { WrongPaddingOptions } from './conformance-wrong.js';
export { trainingCases, trainingData, trainingTargets, kerasTrainingReference, updateMismatches, withoutDropout } from './conformance-training.js';
export type { TrainingCase, TrainingData, TrainingReference } from './conformance-training.js';
export { trainingStepsCases, kerasStepsReference, updateErrors, sampleIndices, TRAINING_STEPS } from './conformance-training-steps.js';
export type { StepsCase, StepsReference, UpdateError, UpdateErrors } from './conformance-training-steps.js';
export { describeTrainingSteps } from './conformance-training-steps-suite.js';
export type { TrainingStepsOptions } from './conformance-training-steps-suite.js';
