// Autodiff through every op a conv net uses (conv 'same', BatchNorm in training mode, avg pooling over padding,
// max pooling, dense, softmax cross-entropy) against central finite differences, on both Node backends.
// The gradient is read from one SGD step with learning rate 1 (w_before - w_after); losses for the finite
// differences come from a second model whose learning rate is 0 (training mode, no update).
import { beforeAll, describe, expect, it } from 'vitest';
import { SpecBuilder, type ModelSpec } from '@convzoo/models';
import { NODE_BACKENDS, oneHot, randomTensor, registerNodeBackends, trainable } from './helpers.js';

function tinyConvNet(): ModelSpec {
  const b = new SpecBuilder('tiny_conv');
  let x = b.input([5, 5, 2]);
  x = b.conv2d(x, { filters: 3, kernelSize: 3, padding: 'same', activation: 'tanh' });
  x = b.batchNorm(x);
  x = b.avgPool2d(x, { poolSize: 2, strides: 1, padding: 'same' });
  x = b.conv2d(x, { filters: 2, kernelSize: 2, strides: 2, padding: { top: 1, bottom: 0, left: 0, right: 1 } });
  x = b.maxPool2d(x, { poolSize: 2, strides: 1 });
  x = b.flatten(x);
  x = b.dense(x, { units: 3, activation: 'softmax' });
  return b.build(x);
}

beforeAll(registerNodeBackends);

describe.each(NODE_BACKENDS)('gradients on %s', (backend) => {
  it('match central finite differences for every parameter tensor', async () => {
    const spec = tinyConvNet();
    const x = randomTensor([3, 5, 5, 2], 7);
    const y = oneHot([0, 2, 1], 3);
    const training = (lr: number) => ({ loss: 'categoricalCrossentropy' as const, optimizer: { kind: 'sgd' as const, learningRate: lr } });
    const stepper = await trainable(spec, { backend, seed: 3, training: training(1) });
    const probe = await trainable(spec, { backend, seed: 3, training: training(0) });
    const w0 = await stepper.getWeights();
    await stepper.trainStep(x, y);
    const w1 = await stepper.getWeights();
    const h = 1e-2;
    let checked = 0;
    for (const [name, t] of Object.entries(w0)) {
      if (name.includes('moving_')) continue; // statistics, not trained by gradients
      // A few entries of each tensor: first, last and one in between.
      for (const i of new Set([0, Math.floor(t.data.length / 2), t.data.length - 1])) {
        const analytic = t.data[i]! - w1[name]!.data[i]!;
        const lossAt = async (delta: number) => {
          const data = new Float32Array(t.data);
          data[i] = data[i]! + delta;
          await probe.setWeights({ [name]: { shape: t.shape, data } });
          return (await probe.trainStep(x, y)).loss;
        };
        const numeric = ((await lossAt(h)) - (await lossAt(-h))) / (2 * h);
        await probe.setWeights({ [name]: t });
        expect(Math.abs(analytic - numeric), `${name}[${i}]: autodiff ${analytic}, finite difference ${numeric}`).toBeLessThan(2e-3 + 2e-2 * Math.abs(numeric));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
    stepper.dispose();
    probe.dispose();
  });
});
