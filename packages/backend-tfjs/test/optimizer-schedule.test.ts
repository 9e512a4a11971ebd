// SGD weight decay (PyTorch's coupled L2) and Keras' PiecewiseConstantDecay, checked against their definitions on
// two models that start from the same weights and see the same batch.
import { beforeAll, describe, expect, it } from 'vitest';
import { BackendError, initWeights, resolveOptimizer, learningRateAt, type OptimizerConfig, type WeightMap } from '@convzoo/backend';
import { SpecBuilder } from '@convzoo/models';
import { NODE_BACKENDS, oneHot, randomTensor, registerNodeBackends, trainable } from './helpers.js';

const b = new SpecBuilder('small');
const x0 = b.input([6, 6, 1]);
const spec = b.build(b.dense(b.flatten(b.conv2d(x0, { filters: 3, kernelSize: 3, activation: 'relu' })), { units: 4, activation: 'softmax' }));
const weights = initWeights(spec, 3);
const x = randomTensor([5, 6, 6, 1], 11);
const y = oneHot([0, 1, 2, 3, 1], 4);

async function afterSteps(backend: string, optimizer: OptimizerConfig, steps: number): Promise<WeightMap> {
  const model = await trainable(spec, { backend, weights, training: { loss: 'categoricalCrossentropy', optimizer } });
  for (let i = 0; i < steps; i++) await model.trainStep(x, y);
  const w = await model.getWeights();
  model.dispose();
  return w;
}

beforeAll(registerNodeBackends);

describe.each(NODE_BACKENDS)('%s', (backend) => {
  it('weightDecay adds lr * wd * p to the plain SGD step (one update, no momentum)', async () => {
    const lr = 0.1;
    const wd = 0.05;
    const plain = await afterSteps(backend, { kind: 'sgd', learningRate: lr }, 1);
    const decayed = await afterSteps(backend, { kind: 'sgd', learningRate: lr, weightDecay: wd }, 1);
    for (const [name, w0] of Object.entries(weights)) {
      const got = decayed[name]!.data;
      const want = plain[name]!.data.map((v, i) => v - lr * wd * w0.data[i]!);
      got.forEach((v, i) => expect(v, `${name}[${i}]`).toBeCloseTo(want[i]!, 6));
    }
  });

  it('a schedule switches the rate at its boundary (lr 0 after update 1 freezes the weights)', async () => {
    const once = await afterSteps(backend, { kind: 'sgd', learningRate: 0.1, momentum: 0 }, 1);
    const scheduled = await afterSteps(backend, { kind: 'sgd', momentum: 0, learningRateSchedule: { boundaries: [1], values: [0.1, 0] } }, 3);
    for (const name of Object.keys(weights)) expect(Array.from(scheduled[name]!.data)).toEqual(Array.from(once[name]!.data));
  });
});

describe('learningRateSchedule', () => {
  it('follows Keras PiecewiseConstantDecay', () => {
    const c = resolveOptimizer({ kind: 'sgd', learningRateSchedule: { boundaries: [10, 20], values: [0.1, 0.01, 0.001] } });
    expect([0, 9, 10, 19, 20, 1000].map((s) => learningRateAt(c, s))).toEqual([0.1, 0.1, 0.01, 0.01, 0.001, 0.001]);
    expect(learningRateAt(resolveOptimizer({ kind: 'adam' }), 5)).toBe(1e-3);
  });

  it.each([
    [{ boundaries: [10], values: [0.1] }, /has 1 values for 1 boundaries/],
    [{ boundaries: [10, 5], values: [0.1, 0.01, 0.001] }, /boundaries must be increasing/],
    [{ boundaries: [10], values: [0.1, -1] }, /values must be finite and >= 0/],
  ])('rejects %j', (schedule, message) => {
    expect(() => resolveOptimizer({ kind: 'sgd', learningRateSchedule: schedule })).toThrow(BackendError);
    expect(() => resolveOptimizer({ kind: 'sgd', learningRateSchedule: schedule })).toThrow(message);
  });

  it('rejects a negative weightDecay', () => {
    expect(() => resolveOptimizer({ kind: 'sgd', weightDecay: -1 })).toThrow(/weightDecay -1 is out of range/);
  });
});
