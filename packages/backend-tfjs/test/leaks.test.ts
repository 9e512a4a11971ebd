// No leaks: the engine's tensor count is the same before and after 100 training steps and 1,000 predictions, and
// back to where it started after dispose().
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '@convzoo/backend';
import { SpecBuilder } from '@convzoo/spec';
import { NODE_BACKENDS, oneHot, randomTensor, registerNodeBackends, trainable } from './helpers.js';

beforeAll(registerNodeBackends);

/** Every op family of a training step: conv, BN (batch statistics + moving update), pooling, dropout, concat, add. */
function tinyNet() {
  const b = new SpecBuilder('tiny_leak');
  const x = b.input([6, 6, 1]);
  const c = b.batchNorm(b.conv2d(x, { filters: 2, kernelSize: 3, padding: 'same', activation: 'relu' }));
  const p = b.avgPool2d(b.concat([c, b.maxPool2d(c, { poolSize: 3, strides: 1, padding: 'same' })]), { poolSize: 2, padding: 'same' });
  const f = b.dropout(b.flatten(b.add([p, p])), { rate: 0.2 });
  return b.build(b.dense(f, { units: 3, activation: 'softmax' }));
}

describe.each(NODE_BACKENDS)('%s', (backend) => {
  it('leaves tf.memory().numTensors constant over 100 training steps and 1,000 predictions', async () => {
    await resolveBackend(backend); // starts it: tf.memory() needs a backend
    const before = tf.memory().numTensors;
    const model = await trainable(tinyNet(), { backend, training: { loss: 'categoricalCrossentropy', optimizer: { kind: 'adam' } } });
    const x = randomTensor([2, 6, 6, 1], 1);
    const y = oneHot([0, 2], 3);
    await model.trainStep(x, y); // first step: nothing lazily created after this
    await model.predict(x);
    const settled = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) await model.trainStep(x, y);
    expect(tf.memory().numTensors, 'after 100 training steps').toBe(settled);
    for (let i = 0; i < 1000; i++) await model.predict(x);
    await model.evaluateStep(x, y);
    await model.getWeights();
    await model.setWeights(await model.getWeights());
    await model.getOptimizerState();
    expect(tf.memory().numTensors, 'after 1,000 predictions').toBe(settled);
    model.dispose();
    expect(tf.memory().numTensors, 'after dispose()').toBe(before);
  });
});
