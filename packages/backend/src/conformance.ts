// The conformance suite every adapter runs in its own tests (vitest):
//
//   describeBackendConformance({ backend: 'tfjs-wasm', setup: () => registerTfjsBackends() });
//
// For every architecture (small input, batch 2, few classes, seeded random weights and BatchNorm statistics):
// output shapes equal inferShapes; outputs match the reference backend (tfjs-cpu by default) within `tolerance`;
// setWeights(getWeights()) changes nothing; dispose() leaves the engine as it found it and later calls throw.
// Plus named errors for bad input: wrong shape, NaN, wrong input count, unknown/missing weight names, wrong shapes.
//
// Parity metric, per output: max|out - ref| / max(1, max|ref|) <= tolerance. An absolute error for outputs of
// magnitude <= 1 (softmax probabilities), a relative one for large activations, where fp32 rounding grows with
// magnitude. Never divides by a near-zero reference value.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inferShapes, paramInfos, SpecBuilder, type ModelSpec } from '@convzoo/spec';
// Through the package's public entry, so the built conformance.cjs/.js shares the adapters' registry.
import { BackendError, createRng, defaultRegistry, initWeights, sizeOf, streamSeed, type BackendRegistry, type Model, type Tensor, type WeightMap } from '@convzoo/backend';
import { defaultConformanceCases, type ConformanceCase } from './conformance-cases.js';

export type { ConformanceCase } from './conformance-cases.js';
export { defaultConformanceCases, architectureCases, layerCases, SKIPPED_DEPTHS } from './conformance-cases.js';
// Training parity (issue 11): held by every training backend.
export { describeTrainingConformance, relativeError, withoutDropout, randomTargets, trainingCases } from './conformance-training.js';
export type { TrainingConformanceOptions, TrainingCase } from './conformance-training.js';

export interface ConformanceOptions {
  /** The backend under test, by registry name. */
  backend: string;
  /** The backend whose outputs are the truth. Default 'tfjs-cpu'. Parity is skipped when it is `backend` itself. */
  reference?: string;
  /** Default: every architecture of @convzoo/spec's registry, every flavour, at its smallest input. */
  models?: ConformanceCase[];
  /** Parity bound, see the metric above. Default 1e-4. */
  tolerance?: number;
  /** Batch size of the test inputs. Default 2. */
  batch?: number;
  seed?: number;
  /** Registers the adapters (runs once, before the tests). */
  setup?: () => void | Promise<void>;
  /** Default: @convzoo/backend's process-wide registry. */
  registry?: BackendRegistry;
}

/** Max |a - b| over max(1, max |ref|): the parity metric of the suite. */
export function parityError(out: Tensor, ref: Tensor): number {
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < ref.data.length; i++) {
    const r = ref.data[i]!;
    const d = Math.abs(out.data[i]! - r);
    // NaN must fail, not compare false and pass.
    diff = Number.isNaN(d) ? Infinity : Math.max(diff, d);
    scale = Math.max(scale, Math.abs(r));
  }
  return diff / scale;
}

const uniform = (shape: number[], rng: () => number, lo: number, hi: number): Tensor => {
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = lo + (hi - lo) * rng();
  return { shape, data };
};

/**
 * Keras' glorot kernels plus random biases and BatchNorm parameters/statistics (defaults would make BatchNorm an
 * identity and hide layout bugs in it), all seeded.
 */
export function randomWeights(spec: ModelSpec, seed = 0): WeightMap {
  const weights = initWeights(spec, seed);
  const ranges = { bias: [-0.1, 0.1], beta: [-0.1, 0.1], gamma: [0.8, 1.2], moving_mean: [-0.1, 0.1], moving_variance: [0.5, 1.5] } as const;
  for (const p of paramInfos(spec)) {
    if (p.param === 'kernel') continue;
    const [lo, hi] = ranges[p.param];
    weights[p.name] = uniform([...p.shape], createRng(streamSeed(seed + 1, p.name)), lo, hi);
  }
  return weights;
}

/** One batch of U(0, 1) images per input of the spec. */
export function randomInputs(spec: ModelSpec, batch: number, seed = 0): Tensor[] {
  const shapes = inferShapes(spec);
  return spec.inputs.map((name) => uniform([batch, ...shapes.get(name)!], createRng(streamSeed(seed, `input ${name}`)), 0, 1));
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
  const reference = options.reference ?? 'tfjs-cpu';
  const tolerance = options.tolerance ?? 1e-4;
  const batch = options.batch ?? 2;
  const seed = options.seed ?? 1;
  const registry = () => options.registry ?? defaultRegistry;

  describe(`backend conformance: ${backend}`, () => {
    beforeAll(async () => {
      await options.setup?.();
      // An unavailable backend fails the suite with its reason; it is never skipped silently.
      await registry().resolve(backend);
      if (reference !== backend) await registry().resolve(reference);
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
        await expectError(registry().compile(spec, { backend, weights: w, strictWeights: true }), 'weights', "'batch_normalization/moving_variance'", 'missing');
      });
      it('a wrong weight shape names the parameter and both shapes', async () => {
        const bad = { shape: [3, 3, 2, 4], data: new Float32Array(72) };
        await expectError(model.setWeights({ 'conv2d/kernel': bad }), 'weights', "'conv2d/kernel'", '[3, 3, 2, 4]', '[3, 3, 2, 3]');
        await expectError(registry().compile(spec, { backend, weights: { 'conv2d/kernel': bad } }), 'weights', "'conv2d/kernel'", '[3, 3, 2, 4]');
      });
    });

    for (const c of options.models ?? defaultConformanceCases()) {
      describe(c.name, () => {
        let spec: ModelSpec;
        let weights: WeightMap;
        let inputs: Tensor[];
        let expected: Tensor[] | undefined;
        let model: Model;
        let before: number | undefined;
        let first: Tensor[];

        beforeAll(async () => {
          spec = typeof c.spec === 'function' ? c.spec() : c.spec;
          weights = randomWeights(spec, seed);
          inputs = randomInputs(spec, batch, seed);
          if (reference !== backend) {
            const ref = await registry().compile(spec, { backend: reference, weights, strictWeights: true });
            try {
              expected = await ref.predict(inputs);
            } finally {
              ref.dispose();
            }
          }
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

        it.skipIf(reference === backend)(`outputs match ${reference} within ${tolerance}`, () => {
          spec.outputs.forEach((o, i) => {
            const err = parityError(first[i]!, expected![i]!);
            expect(err, `output '${o}': max|${backend} - ${reference}| / max(1, max|ref|)`).toBeLessThanOrEqual(tolerance);
          });
        });

        it('setWeights(getWeights()) is the identity', async () => {
          const w = await model.getWeights();
          expect(Object.keys(w).sort()).toEqual(Object.keys(weights).sort());
          for (const [name, t] of Object.entries(weights)) {
            expect(w[name]!.shape, name).toEqual(t.shape);
            expect(w[name]!.data.every((v, i) => v === t.data[i]), `weight '${name}' read back differs`).toBe(true);
          }
          await model.setWeights(w);
          const again = await model.predict(inputs);
          again.forEach((t, i) => expect(t.data.every((v, k) => v === first[i]!.data[k]), `output '${spec.outputs[i]}' changed`).toBe(true));
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
