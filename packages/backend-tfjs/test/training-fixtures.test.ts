// One training step per architecture family against Keras (the conformance fixtures' `training` section): the
// loss before the update, and every parameter's update (its L2 norm and its values at sampled indices), BatchNorm
// moving statistics included. Every family on tfjs-wasm; on tfjs-cpu (10-20x slower at training) the three whose
// step takes under a second there: its kernels run every family's forward in conformance-cpu.test.ts, and
// backend-onnx's training parity holds onnx-cpu to tfjs-cpu step by step.
import { beforeAll, describe, expect, it } from 'vitest';
import { kerasTrainingReference, trainingCases, trainingData, updateMismatches } from '@convzoo/backend/conformance';
import { registerNodeBackends, trainable } from './helpers.js';

beforeAll(registerNodeBackends);

const CPU_FAMILIES = new Set(['lenet', 'resnet_tutorial', 'resnet20']);

describe.each([
  ['tfjs-wasm', trainingCases()],
  ['tfjs-cpu', trainingCases().filter((c) => CPU_FAMILIES.has(c.model.name))],
] as const)('%s: one training step per family agrees with Keras', (backend, cases) => {
  for (const c of cases) {
    it(c.name, async () => {
      const ref = kerasTrainingReference(c.name);
      expect(ref, `no Keras training reference for '${c.name}' in @convzoo/backend fixtures/conformance-references.json`).toBeDefined();
      const { spec, weights, inputs, targets } = trainingData(c);
      const model = await trainable(spec, { backend, weights, strictWeights: true, training: c.training });
      try {
        const { loss } = await model.trainStep(inputs, targets);
        // 2e-3: Inception-v3's 94 batch-statistics BatchNorms turn float32 rounding into ~1e-4 of the loss; the
        // shallow families agree to 1e-6.
        expect(Math.abs(loss - ref!.loss), `loss ${loss} vs Keras ${ref!.loss}`).toBeLessThanOrEqual(2e-3 * Math.max(1, Math.abs(ref!.loss)));
        const problems = updateMismatches(weights, await model.getWeights(), ref!, c.tolerance);
        console.log(`${backend} ${c.name}: loss ${loss} vs Keras ${ref!.loss} (rel ${(Math.abs(loss - ref!.loss) / Math.abs(ref!.loss)).toExponential(1)})`);
        expect(problems).toEqual([]);
      } finally {
        model.dispose();
      }
    });
  }
});
