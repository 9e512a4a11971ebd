// One training step per architecture family against Keras (the conformance fixtures' `training` section): the
// loss before the update, and every parameter's update (its L2 norm and its values at sampled indices), BatchNorm
// moving statistics included.
import { beforeAll, describe, expect, it } from 'vitest';
import { kerasTrainingReference, trainingCases, trainingData, updateMismatches } from '@convzoo/backend/conformance';
import { NODE_BACKENDS, registerNodeBackends, trainable } from './helpers.js';

beforeAll(registerNodeBackends);

describe.each(NODE_BACKENDS)('%s: one training step per family agrees with Keras', (backend) => {
  for (const c of trainingCases()) {
    it(c.name, async () => {
      const ref = kerasTrainingReference(c.name);
      expect(ref, `no Keras training reference for '${c.name}' in @convzoo/backend fixtures/conformance-references.json`).toBeDefined();
      const { spec, weights, inputs, targets } = trainingData(c);
      const model = await trainable(spec, { backend, weights, strictWeights: true, training: c.training });
      try {
        const { loss } = await model.trainStep(inputs, targets);
        // 2e-3: at batch 2 the deepest BatchNorms of ResNet18/Inception-v3 normalise 1x1 maps over two values, which
        // turns float32 rounding into ~1e-3 of the loss; the shallow families agree to 1e-6.
        expect(Math.abs(loss - ref!.loss), `loss ${loss} vs Keras ${ref!.loss}`).toBeLessThanOrEqual(2e-3 * Math.max(1, Math.abs(ref!.loss)));
        const problems = updateMismatches(weights, await model.getWeights(), ref!);
        console.log(`${backend} ${c.name}: loss ${loss} vs Keras ${ref!.loss} (rel ${(Math.abs(loss - ref!.loss) / Math.abs(ref!.loss)).toExponential(1)})`);
        expect(problems).toEqual([]);
      } finally {
        model.dispose();
      }
    });
  }
});
