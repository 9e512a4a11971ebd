// No leaks: the engine's tensor count is the same before and after 100 training steps and 1,000 predictions, and
// back to where it started after dispose(); on tfjs-wasm the WebAssembly heap too, over 1,000 predictions and 100
// compile/dispose cycles.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, defaultRegistry, resolveBackend } from '@convzoo/backend';
import { leakProbeSpec } from '@convzoo/backend/conformance';
import { SpecBuilder } from '@convzoo/models';
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

const denseNet = () => leakProbeSpec('wasm_leak_probe');

// The WebAssembly heap only grows (its size is the peak reserved so far), so it must stay the same after a warm-up:
// a tensor or weight buffer kept per call or per compile grows it.
describe('tfjs-wasm: WebAssembly heap', () => {
  const memory = () => defaultRegistry.factory('tfjs-wasm').memory!();
  const MiB = 2 ** 20;
  const x = randomTensor([2, 8, 8, 4], 3);

  it('numTensors, numBytes and the wasm heap are unchanged after 1,000 predictions', async () => {
    const before = await memory();
    expect(before.reservedBytes, 'tfjs-wasm memory() reports its heap').toBeGreaterThan(0);
    const model = await compile(denseNet(), { backend: 'tfjs-wasm', seed: 1 });
    for (let i = 0; i < 20; i++) await model.predict(x);
    const settled = await memory();
    for (let i = 0; i < 1000; i++) await model.predict(x);
    const after = await memory();
    console.log(`tfjs-wasm: heap ${(settled.reservedBytes! / MiB).toFixed(1)} -> ${(after.reservedBytes! / MiB).toFixed(1)} MiB over 1,000 predictions`);
    expect(after, 'after 1,000 predictions').toEqual(settled);
    model.dispose();
    expect(await memory(), 'after dispose()').toEqual({ ...before, reservedBytes: (await memory()).reservedBytes });
  });

  it('numTensors, numBytes and the wasm heap are unchanged after 100 compile/dispose cycles', async () => {
    const spec = denseNet();
    for (let i = 0; i < 5; i++) {
      const m = await compile(spec, { backend: 'tfjs-wasm', seed: i });
      await m.predict(x);
      m.dispose();
    }
    const settled = await memory();
    for (let i = 0; i < 100; i++) {
      const m = await compile(spec, { backend: 'tfjs-wasm', seed: i });
      await m.predict(x);
      m.dispose();
    }
    const after = await memory();
    console.log(
      `tfjs-wasm: heap ${(settled.reservedBytes! / MiB).toFixed(1)} -> ${(after.reservedBytes! / MiB).toFixed(1)} MiB over 100 compile/dispose cycles`,
    );
    expect(after, 'after 100 compile/dispose cycles').toEqual(settled);
  });
});
