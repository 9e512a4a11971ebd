// Gradients no reference engine here can give: tfjs has no conv gradient with dilation > 1 (nor with dilation and
// stride at once) and its resize gradients ignore half-pixel centres. Checked against central differences of the
// loss instead: one plain-SGD step with lr 1 moves each parameter by minus its gradient.
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, type TrainableModel, type WeightMap } from '@convzoo/backend';
import { randomInputs, randomTargets, randomWeights } from '@convzoo/backend/conformance';
import { SpecBuilder } from '@convzoo/models';
import { registerOnnxBackends } from '../src/index.js';

function spec() {
  const b = new SpecBuilder('gradcheck');
  const x = b.input([9, 8, 4]);
  const strided = b.conv2d(x, { filters: 4, kernelSize: 3, dilation: 2, strides: 2, padding: 'same', groups: 2, activation: 'tanh' });
  // Stride 1, size kept: its dx (to conv2d's gradient) is a grouped Conv of dz with the flipped kernel.
  const d = b.conv2d(strided, { filters: 4, kernelSize: 3, dilation: 2, padding: 'same', groups: 2, activation: 'tanh' });
  const up = b.resize(d, { size: [7, 6], method: 'bilinear' });
  const near = b.resize(d, { size: [3, 5], method: 'nearest' });
  // C*kh*kw <= 2F: dW by im2col (a one-hot Conv) here, dilated and strided over uneven padding.
  const wide = b.conv2d(x, { filters: 8, kernelSize: 2, dilation: 2, strides: 2, padding: { top: 1, bottom: 0, left: 0, right: 2 }, activation: 'tanh' });
  const f = b.concat([b.flatten(b.conv2d(up, { filters: 2, kernelSize: 2, activation: 'sigmoid' })), b.flatten(near), b.flatten(wide)]);
  return b.build(b.dense(f, { units: 3, activation: 'softmax' }));
}

describe('onnx-cpu gradients against central differences', () => {
  beforeAll(() => registerOnnxBackends());

  it('dilated + strided + grouped convs (dx by a flipped grouped Conv), im2col dW over uneven padding, and half-pixel resizes', async () => {
    const s = spec();
    const weights = randomWeights(s, 5);
    const x = randomInputs(s, 3, 5);
    const open = async (w: WeightMap) =>
      (await compile(s, {
        backend: 'onnx-cpu',
        weights: w,
        strictWeights: true,
        training: { loss: 'categoricalCrossentropy', optimizer: { kind: 'sgd', learningRate: 1 } },
      })) as TrainableModel;
    const model = await open(weights);
    const y = randomTargets(s, await model.predict(x), 5);
    await model.trainStep(x, y);
    const after = await model.getWeights();
    const probe = await open(weights);
    const loss = async (w: WeightMap) => {
      await probe.setWeights(w);
      return (await probe.evaluateStep(x, y)).loss;
    };
    const h = 1e-2;
    let checked = 0;
    for (const name of ['conv2d/kernel', 'conv2d/bias', 'conv2d_1/kernel', 'conv2d_2/kernel']) {
      const w = weights[name]!;
      for (const i of new Set([0, 5, Math.floor(w.data.length / 2), w.data.length - 1].filter((k) => k < w.data.length))) {
        const plus = new Float32Array(w.data);
        const minus = new Float32Array(w.data);
        plus[i]! += h;
        minus[i]! -= h;
        const numeric =
          ((await loss({ ...weights, [name]: { shape: w.shape, data: plus } })) - (await loss({ ...weights, [name]: { shape: w.shape, data: minus } }))) /
          (2 * h);
        const analytic = w.data[i]! - after[name]!.data[i]!;
        expect(Math.abs(numeric - analytic), `${name}[${i}]: numeric ${numeric}, graph ${analytic}`).toBeLessThan(2e-3 + 2e-2 * Math.abs(numeric));
        checked++;
      }
    }
    expect(checked).toBe(15);
    model.dispose();
    probe.dispose();
  });
});
