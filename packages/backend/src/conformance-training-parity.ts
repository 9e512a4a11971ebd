// Training parity, the part of the conformance suite every TRAINING backend runs:
//
//   describeTrainingConformance({ backend: 'onnx-cpu', setup: () => { registerTfjsBackends(); registerOnnxBackends(); } });
//
// For each case (seeded weights, inputs and targets, small size): one trainStep on `backend` equals the reference
// (tfjs-cpu by default): total loss and every updated parameter (BN moving statistics included) within `tolerance`
// relative (1e-4); after `steps` steps (10) within `multiStepTolerance` (1e-3). Optimizer state round-trips across
// the two backends. Dropout masks are each engine's own random stream, so dropout rates are set to 0 here (the
// mask path is covered by each adapter's own tests).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModel, SpecBuilder, type ModelSpec } from '@convzoo/models';
import {
  createRng,
  defaultRegistry,
  type BackendRegistry,
  type OptimizerConfig,
  type Tensor,
  type TrainableModel,
  type TrainingConfig,
  type WeightMap,
} from '@convzoo/backend';
import { randomInputs, randomWeights } from './conformance-data.js';
import { TRAINING_SEEDS, withoutDropout } from './conformance-training.js';
import { architectureCases, convPaddingCorners, poolPaddingCorners } from './conformance-cases.js';

/** A training parity case: a spec and, optionally, its own losses and optimizer. */
export interface TrainingParityCase {
  name: string;
  spec: ModelSpec | (() => ModelSpec);
  training?: TrainingConfig;
  /** Overrides the suite's seed (weights, inputs, targets) for this case. */
  seed?: number;
  /** Overrides the suite's batch for this case. */
  batch?: number;
  /** Overrides the suite's step count for the multi-step check. */
  steps?: number;
  /** The batch's images, when not uniform noise (randomInputs). */
  inputs?: (spec: ModelSpec, batch: number, seed: number) => Tensor[];
}

/**
 * Noise in the centre, zeros around it, as MNIST digits are: every conv window in the border sees the same input, so
 * max-pool windows there hold equal maxima (a positive bias after relu). Which tied cell takes the gradient cannot
 * change it there (the cells read the same inputs), but a path that gave it to every tied cell would.
 */
function digitLike(spec: ModelSpec, batch: number, seed: number): Tensor[] {
  return randomInputs(spec, batch, seed).map((t) => {
    const [n, h, w, c] = t.shape as [number, number, number, number];
    const data = t.data.map((v, i) => {
      const y = Math.floor(i / (w * c)) % h;
      const x = Math.floor(i / c) % w;
      return y >= h / 4 && y < (3 * h) / 4 && x >= h / 4 && x < (3 * w) / 4 ? v : 0;
    });
    return { shape: [n, h, w, c], data };
  });
}

function convTraining(): ModelSpec {
  const b = new SpecBuilder('train_conv');
  const x = b.input([11, 9, 4]);
  const a = convPaddingCorners(b, x);
  // tfjs has no conv gradient with dilation > 1, so dilation cannot be held to it here (backend-onnx checks its
  // dilated conv gradients against finite differences).
  const dilated = b.conv2d(x, { filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' });
  const grouped = b.conv2d(dilated, { filters: 6, kernelSize: 3, groups: 2, strides: 2, padding: 'same', useBias: false });
  const c = b.globalAvgPool2d(grouped);
  // Few input channels for many filters (C*kh*kw <= 2F): backend-onnx's dW by im2col, at stride 2 over uneven padding.
  const wide = b.flatten(b.conv2d(x, { filters: 8, kernelSize: 2, strides: 2, padding: { top: 0, bottom: 1, left: 1, right: 0 }, activation: 'relu' }));
  return b.build(b.dense(b.concat([a, c, wide]), { units: 3, activation: 'softmax' }));
}

function poolTraining(): ModelSpec {
  const b = new SpecBuilder('train_pool');
  const x = b.conv2d(b.input([7, 10, 3]), { filters: 3, kernelSize: 3, padding: 'same', activation: 'sigmoid' });
  const added = poolPaddingCorners(b, x);
  const pooled = b.flatten(b.avgPool2d(added, { poolSize: 2, strides: 1 }));
  const other = b.flatten(b.maxPool2d(added, { poolSize: 2 }));
  return b.build([b.dense(pooled, { units: 4, activation: 'softmax' }), b.dense(other, { units: 3 })]);
}

function normTraining(): ModelSpec {
  const b = new SpecBuilder('train_norm');
  const image = b.input([5, 6, 8], { name: 'image' });
  const extra = b.input([7, 4, 3], { name: 'extra' });
  const lrn = b.lrn(b.conv2d(image, { filters: 6, kernelSize: 1 }), { depthRadius: 2, bias: 2, alpha: 1e-1, beta: 0.75 });
  // tfjs' resize gradients ignore half-pixel centres (wrong against TF), so resize sits where no gradient crosses it.
  const down = b.resize(extra, { size: [5, 6], method: 'bilinear' });
  const near = b.resize(extra, { size: [5, 6], method: 'nearest' });
  const cat = b.concat([lrn, down, near, b.activation(image, { activation: 'softmax' })]);
  const bn = b.batchNorm(b.conv2d(cat, { filters: 5, kernelSize: 3 }), { center: false });
  const bn2 = b.batchNorm(b.relu(bn), { scale: false, epsilon: 1e-5 });
  const flat = b.flatten(b.dropout(bn2, { rate: 0.5 }));
  const v = b.batchNorm(b.dense(flat, { units: 6, activation: 'tanh' }));
  return b.build([b.dense(v, { units: 5, activation: 'softmax' }), b.dense(v, { units: 2, useBias: false, activation: 'sigmoid' })]);
}

/** Small graphs with every trainable layer kind, losses and optimizers, plus LeNet. */
export function trainingParityCases(): TrainingParityCase[] {
  return [
    { name: 'train: conv padding, strides, groups; adam', spec: convTraining },
    {
      name: 'train: max/avg pooling, two heads (categorical + categorical from logits, weights 1 and 0.3); sgd momentum',
      spec: poolTraining,
      training: { loss: 'categoricalCrossentropy', lossWeights: [1, 0.3], optimizer: { kind: 'sgd', learningRate: 0.1, momentum: 0.9 } },
    },
    {
      name: 'train: LRN, BatchNorm (4-D and 2-D), softmax, two inputs; categorical + binary; sgd nesterov with decay',
      spec: normTraining,
      training: {
        loss: ['categoricalCrossentropy', 'binaryCrossentropy'],
        optimizer: { kind: 'sgd', learningRate: 0.05, momentum: 0.5, nesterov: true, decay: 0.1 },
      },
    },
    {
      name: 'train: binary cross-entropy from logits; plain sgd',
      spec: () => {
        const b = new SpecBuilder('train_logits');
        const x = b.flatten(b.conv2d(b.input([6, 6, 2]), { filters: 3, kernelSize: 3, activation: 'relu' }));
        return b.build(b.dense(x, { units: 3 }));
      },
      training: { loss: 'binaryCrossentropy', optimizer: { kind: 'sgd', learningRate: 0.1 } },
    },
    {
      name: 'train: sgd momentum with weight decay and a piecewise-constant schedule (the degradation recipe)',
      spec: convTraining,
      training: {
        loss: 'categoricalCrossentropy',
        optimizer: {
          kind: 'sgd',
          learningRate: 0.1,
          momentum: 0.9,
          weightDecay: 0.01,
          learningRateSchedule: { boundaries: [2, 5], values: [0.1, 0.03, 0.01] },
        },
      },
    },
    {
      name: 'train: adam with a schedule',
      spec: poolTraining,
      training: {
        loss: 'categoricalCrossentropy',
        optimizer: { kind: 'adam', learningRate: 0.01, learningRateSchedule: { boundaries: [3], values: [0.01, 0.001] } },
      },
    },
    { name: 'lenet (adam)', spec: () => getModel('lenet') },
    { name: 'lenet (adam) on digit-like images (zero borders: pool windows with tied maxima)', spec: () => getModel('lenet'), inputs: digitLike },
  ];
}

/**
 * Architectures whose training step is not well-posed at conformance sizes: their last stages batch-normalise 1x1 or
 * 2x2 maps, where a float32 rounding difference becomes a visible one. Measured: tfjs-cpu and tfjs-wasm disagree with
 * each other by up to 15% on ResNet50's updates at 64x64, batch 8; torchvision's GoogLeNet (BatchNorm after every
 * conv, 1x1 maps in inception5 at 32x32) differs by 3e-4 after one step whatever the seed. They are held to Keras
 * per family instead (trainingCases / kerasTrainingReference), at a batch where BatchNorm is well-posed.
 */
export const ILL_POSED_TRAINING: ReadonlySet<string> = new Set([
  'resnet18',
  'resnet34',
  'resnet50',
  'resnet101',
  'resnet152',
  'inception_v3',
  'googlenet (torchvision)',
]);

/**
 * Every other registered architecture flavour (the first member of each family: deeper repeats add depth, not layer
 * kinds) at the conformance input size, as a training case: categorical cross-entropy (binary for a sigmoid head),
 * GoogLeNet's aux heads weighted 0.3 as in the paper, SGD with momentum at lr 1e-3 (at 1e-2, ten steps of the deeper
 * BatchNorm nets drift 1e-3 apart on any two engines: float32 rounding amplified step by step).
 */
export function architectureTrainingCases(): TrainingParityCase[] {
  return architectureCases()
    .filter((c) => !c.parityOnly && !ILL_POSED_TRAINING.has(c.model?.name ?? '') && !ILL_POSED_TRAINING.has(`${c.model?.name} (${c.model?.flavour})`))
    .map((c) => {
      const spec = () => (typeof c.spec === 'function' ? c.spec() : c.spec);
      const s = spec();
      const byName = new Map(s.layers.map((l) => [l.name, l]));
      const loss = s.outputs.map((o) => {
        const l = byName.get(o);
        return l?.kind === 'dense' && l.activation === 'sigmoid' ? ('binaryCrossentropy' as const) : ('categoricalCrossentropy' as const);
      });
      // SGD with momentum: the update is the gradient (Adam's first steps are ±lr whatever the gradient's size, which
      // turns rounding-level gradients into full-size differences), and the momentum slot is still exercised.
      const training: TrainingConfig = {
        loss,
        optimizer: { kind: 'sgd', learningRate: 1e-3, momentum: 0.9 },
        ...(s.outputs.length === 3 ? { lossWeights: [1, 0.3, 0.3] } : {}),
      };
      // plain20/resnet20: twenty BatchNorm layers amplify float32 rounding step by step (chaotic): at step 4, tfjs-wasm
      // and tfjs-cpu, the same adapter, already differ by 1.9e-3 in loss. Three steps still exercise the momentum slot.
      const chaotic = c.model?.name === 'plain20' || c.model?.name === 'resnet20';
      return {
        name: `train: ${c.name}`,
        spec,
        training,
        ...(c.model && TRAINING_SEEDS[c.model.name] !== undefined ? { seed: TRAINING_SEEDS[c.model.name] } : {}),
        ...(chaotic ? { steps: 3 } : {}),
      };
    });
}

export interface TrainingConformanceOptions {
  backend: string;
  /** Default 'tfjs-cpu'. */
  reference?: string;
  /** Default: trainingParityCases(). */
  models?: TrainingParityCase[];
  /** One-step bound on max|a - b| / max(1, max|ref|) per tensor. Default 1e-4. */
  tolerance?: number;
  /** After `steps` steps. Default 1e-3. */
  multiStepTolerance?: number;
  /** Default 10. */
  steps?: number;
  batch?: number;
  seed?: number;
  /** Default: Adam with Keras defaults but lr 1e-2 (so updates are visible); cases may set their own. */
  optimizer?: OptimizerConfig;
  setup?: () => void | Promise<void>;
  registry?: BackendRegistry;
  /** Per-test timeout in ms (the vitest default otherwise): slow references (tfjs-cpu on VGG) need minutes. */
  timeout?: number;
}

/** Max |a - b| over max(1, max |ref|), NaN fails. */
export function relativeError(out: Float32Array, ref: Float32Array): number {
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(out[i]! - ref[i]!);
    diff = Number.isNaN(d) ? Infinity : Math.max(diff, d);
    scale = Math.max(scale, Math.abs(ref[i]!));
  }
  return diff / scale;
}

/** Seeded targets: one-hot rows for categorical/softmax, 0/1 for binary. */
export function randomTargets(_spec: ModelSpec, outputs: Tensor[], seed: number): Tensor[] {
  const next = createRng(seed);
  return outputs.map((o) => {
    const [batch, classes] = o.shape as [number, number];
    const data = new Float32Array(batch * classes);
    for (let r = 0; r < batch; r++) data[r * classes + Math.min(classes - 1, Math.floor(next() * classes))] = 1;
    return { shape: [batch, classes], data };
  });
}

export function describeTrainingConformance(options: TrainingConformanceOptions): void {
  const { backend } = options;
  const reference = options.reference ?? 'tfjs-cpu';
  const tolerance = options.tolerance ?? 1e-4;
  const multi = options.multiStepTolerance ?? 1e-3;
  const suiteSteps = options.steps ?? 10;
  const suiteBatch = options.batch ?? 4;
  const suiteSeed = options.seed ?? 1;
  const registry = () => options.registry ?? defaultRegistry;
  const training: TrainingConfig = { loss: 'categoricalCrossentropy', optimizer: options.optimizer ?? { kind: 'adam', learningRate: 1e-2 } };

  describe(`training conformance: ${backend} against ${reference}`, () => {
    beforeAll(async () => {
      await options.setup?.();
      await registry().resolve(backend);
      await registry().resolve(reference);
    });

    for (const c of options.models ?? trainingParityCases()) {
      describe(c.name, () => {
        let spec: ModelSpec;
        let weights: WeightMap;
        let inputs: Tensor[];
        let targets: Tensor[];
        let model: TrainableModel;
        let ref: TrainableModel;
        const seed = c.seed ?? suiteSeed;
        const batch = c.batch ?? suiteBatch;
        const steps = c.steps ?? suiteSteps;
        beforeAll(async () => {
          spec = withoutDropout(typeof c.spec === 'function' ? c.spec() : c.spec);
          weights = randomWeights(spec, seed);
          inputs = c.inputs?.(spec, batch, seed) ?? randomInputs(spec, batch, seed);
          const compile = async (b: string) =>
            (await registry().compile(spec, { backend: b, weights, strictWeights: true, seed, training: c.training ?? training })) as TrainableModel;
          ref = await compile(reference);
          model = await compile(backend);
          targets = randomTargets(spec, await ref.predict(inputs), seed);
        }, options.timeout);
        afterAll(() => {
          model?.dispose();
          ref?.dispose();
        });

        const compareWeights = async (bound: number, when: string) => {
          const [a, b] = await Promise.all([model.getWeights(), ref.getWeights()]);
          for (const [name, t] of Object.entries(b)) {
            expect(relativeError(a[name]!.data, t.data), `${when}: parameter '${name}'`).toBeLessThanOrEqual(bound);
          }
        };

        it(
          `one step: loss and every updated parameter within ${tolerance}`,
          async () => {
            const [r, e] = [await model.trainStep(inputs, targets), await ref.trainStep(inputs, targets)];
            expect(relativeError(Float32Array.of(r.loss, ...r.losses), Float32Array.of(e.loss, ...e.losses)), 'loss').toBeLessThanOrEqual(tolerance);
            await compareWeights(tolerance, 'after 1 step');
          },
          options.timeout,
        );

        it(
          `${steps} steps: within ${multi}; optimizer state matches`,
          async () => {
            for (let i = 1; i < steps; i++) {
              const [r, e] = [await model.trainStep(inputs, targets), await ref.trainStep(inputs, targets)];
              expect(relativeError(Float32Array.of(r.loss), Float32Array.of(e.loss)), `loss at step ${i + 1}`).toBeLessThanOrEqual(multi);
            }
            await compareWeights(multi, `after ${steps} steps`);
            const [sa, sb] = await Promise.all([model.getOptimizerState(), ref.getOptimizerState()]);
            expect(sa.step).toBe(sb.step);
            for (const [name, t] of Object.entries(sb.slots)) expect(relativeError(sa.slots[name]!.data, t.data), `slot '${name}'`).toBeLessThanOrEqual(multi);
            const [ea, eb] = [await model.evaluateStep(inputs, targets), await ref.evaluateStep(inputs, targets)];
            expect(relativeError(Float32Array.of(ea.loss), Float32Array.of(eb.loss)), 'evaluateStep loss').toBeLessThanOrEqual(multi);
          },
          options.timeout,
        );
      });
    }
  });
}
