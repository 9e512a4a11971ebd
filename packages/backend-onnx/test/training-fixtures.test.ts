// onnx-cpu's training graphs against Keras (the conformance fixtures' `training` section), the same check the tfjs
// backends run: one step per architecture family, its loss and every parameter's update, BatchNorm statistics included.
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultRegistry, type TrainableModel } from '@convzoo/backend';
import { kerasTrainingReference, trainingCases, trainingData, updateMismatches } from '@convzoo/backend/conformance';
import { registerOnnxBackends } from '../src/index.js';

beforeAll(() => registerOnnxBackends());

describe('onnx-cpu: one training step per family agrees with Keras', () => {
  for (const c of trainingCases()) {
    it(c.name, async () => {
      const ref = kerasTrainingReference(c.name);
      expect(ref, `no Keras training reference for '${c.name}'`).toBeDefined();
      const { spec, weights, inputs, targets } = trainingData(c);
      const model = (await defaultRegistry.compile(spec, { backend: 'onnx-cpu', weights, strictWeights: true, training: c.training })) as TrainableModel;
      try {
        const { loss } = await model.trainStep(inputs, targets);
        console.log(`onnx-cpu ${c.name}: loss ${loss} vs Keras ${ref!.loss} (rel ${(Math.abs(loss - ref!.loss) / Math.abs(ref!.loss)).toExponential(1)})`);
        expect(Math.abs(loss - ref!.loss), `loss ${loss} vs Keras ${ref!.loss}`).toBeLessThanOrEqual(2e-3 * Math.max(1, Math.abs(ref!.loss)));
        expect(updateMismatches(weights, await model.getWeights(), ref!, c.tolerance)).toEqual([]);
      } finally {
        model.dispose();
      }
    });
  }
});
