// Semantics against Keras itself (keras-reference.json, written by fixtures/make_keras_reference.py with Keras 3.15
// on TensorFlow 2.21): every layer kind and padding corner in inference, and training steps (BatchNorm batch
// statistics and moving averages, Adam, SGD with Nesterov momentum, cross-entropy) on both Node backends.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '@convzoo/backend';
import { parityError } from '@convzoo/backend/conformance';
import { kerasCases } from './fixtures/keras-cases.js';
import { NODE_BACKENDS, registerNodeBackends, trainable } from './helpers.js';

interface Reference {
  generator: string;
  cases: Record<string, { outputs?: { shape: number[]; data: number[] }[]; losses?: number[]; weights?: Record<string, number[]> }>;
}
const reference = JSON.parse(readFileSync(new URL('./fixtures/keras-reference.json', import.meta.url), 'utf8')) as Reference;

beforeAll(registerNodeBackends);

describe.each(NODE_BACKENDS)(`%s agrees with ${reference.generator}`, (backend) => {
  for (const c of kerasCases()) {
    const ref = reference.cases[c.name];
    it(`${c.name}: ${c.train ? `${c.train.steps} training steps` : 'inference'}`, async () => {
      expect(ref, `no Keras reference for '${c.name}': regenerate the fixture`).toBeDefined();
      if (!c.train) {
        const model = await compile(c.spec, { backend, weights: c.weights, strictWeights: true });
        const outputs = await model.predict(c.inputs);
        model.dispose();
        ref!.outputs!.forEach((o, i) => {
          expect(outputs[i]!.shape).toEqual(o.shape);
          expect(parityError(outputs[i]!, { shape: o.shape, data: Float32Array.from(o.data) }), `output '${c.spec.outputs[i]}'`).toBeLessThan(1e-5);
        });
        return;
      }
      const model = await trainable(c.spec, { backend, weights: c.weights, strictWeights: true, training: c.train.config });
      const losses = [];
      for (let s = 0; s < c.train.steps; s++) losses.push((await model.trainStep(c.inputs, c.train.targets)).loss);
      // Adam divides by sqrt(v): float32 rounding in tiny gradients moves a loss by ~1e-6 within a few steps.
      losses.forEach((l, s) => expect(l, `loss of step ${s + 1}`).toBeCloseTo(ref!.losses![s]!, 4));
      const weights = await model.getWeights();
      model.dispose();
      for (const [name, data] of Object.entries(ref!.weights!)) {
        const got = weights[name]!;
        const err = parityError(got, { shape: got.shape, data: Float32Array.from(data) });
        expect(err, `weight '${name}' after ${c.train.steps} steps`).toBeLessThan(1e-5);
      }
    });
  }
});
