// Concurrent predict calls on ONE model (issue 12): each call's output must equal what the same call returns when the
// calls run one after another, on every tfjs backend that runs in Node. The batches differ in size and content, and
// a training step is interleaved, so a call that read another call's input, batch size or weights would show.
import { compile, isTrainable, type Tensor } from '@convzoo/backend';
import { SpecBuilder } from '@convzoo/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { NODE_BACKENDS, oneHot, randomTensor, registerNodeBackends } from './helpers.js';

function spec() {
  const b = new SpecBuilder('two-heads');
  const x = b.input([8, 8, 3]);
  const c = b.batchNorm(b.conv2d(x, { filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }));
  const f = b.flatten(b.maxPool2d(c, { poolSize: 2 }));
  return b.build([b.dense(f, { units: 3, activation: 'softmax', name: 'main' }), b.dense(f, { units: 2, activation: 'softmax', name: 'aux' })]);
}

beforeAll(() => registerNodeBackends());

describe.each(NODE_BACKENDS)('concurrent predict on one %s model', (backend) => {
  it('gives every call the output it gets alone', async () => {
    const xs = [1, 3, 2, 5, 1, 4, 2, 3].map((n, i) => randomTensor([n, 8, 8, 3], 100 + i));
    const model = await compile(spec(), { backend, seed: 2 });
    const sequential: Tensor[][] = [];
    for (const x of xs) sequential.push(await model.predict(x));
    const concurrent = await Promise.all(xs.map((x) => model.predict(x)));
    expect(concurrent).toEqual(sequential);
    model.dispose();
  });

  it('orders a training step among concurrent predicts: calls before it see the old weights, after it the new', async () => {
    const x = randomTensor([2, 8, 8, 3], 7);
    const training = { loss: 'categoricalCrossentropy' as const, optimizer: { kind: 'sgd' as const, learningRate: 0.5 } };
    const make = async () => {
      const m = await compile(spec(), { backend, seed: 2, training });
      if (!isTrainable(m)) throw new Error(`${backend} model cannot train`);
      return m;
    };
    const y = [oneHot([0, 2], 3), oneHot([1, 0], 2)];
    const alone = await make();
    const before = await alone.predict(x);
    await alone.trainStep(x, y);
    const after = await alone.predict(x);
    alone.dispose();
    expect(after).not.toEqual(before);

    const m = await make();
    const [p1, , p2] = await Promise.all([m.predict(x), m.trainStep(x, y), m.predict(x)]);
    expect(p1).toEqual(before);
    expect(p2).toEqual(after);
    m.dispose();
  });
});
