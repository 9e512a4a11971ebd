// One SGD step (lr 0.01) of resnet20 on onnx-cpu against tfjs-cpu, seeded weights and U(0, 1) inputs: per parameter,
// |update_onnx - update_tfjs| / |update_tfjs| (L2), the stem's and the five worst. Not a test.
//   npx tsx --conditions=source scripts/bn-step-check.ts [batch]
import { getModel } from '@convzoo/models';
import { defaultRegistry, type TrainableModel } from '@convzoo/backend';
import { randomInputs, randomWeights, randomTargets, withoutDropout } from '@convzoo/backend/conformance';
import { registerTfjsBackends } from '@convzoo/backend-tfjs';
import { registerOnnxBackends } from '../src/index.js';

registerTfjsBackends();
registerOnnxBackends();
const batch = Number(process.argv[2] ?? 8);
const spec = withoutDropout(getModel('resnet20'));
const weights = randomWeights(spec, 1);
const inputs = randomInputs(spec, batch, 1);
const training = { loss: 'categoricalCrossentropy' as const, optimizer: { kind: 'sgd' as const, learningRate: 0.01 } };
const compile = async (b: string) => (await defaultRegistry.compile(spec, { backend: b, weights, strictWeights: true, seed: 1, training })) as TrainableModel;
const ref = await compile('tfjs-cpu');
const model = await compile('onnx-cpu');
const targets = randomTargets(spec, await ref.predict(inputs), 1);
const [r, e] = [await model.trainStep(inputs, targets), await ref.trainStep(inputs, targets)];
console.log(`loss onnx ${r.loss} tfjs ${e.loss}`);
const [a, b] = await Promise.all([model.getWeights(), ref.getWeights()]);
const rows: [string, number][] = [];
for (const [name, t] of Object.entries(b)) {
  let d = 0;
  let u = 0;
  for (let i = 0; i < t.data.length; i++) {
    const ua = a[name]!.data[i]! - weights[name]!.data[i]!;
    const ub = t.data[i]! - weights[name]!.data[i]!;
    d += (ua - ub) ** 2;
    u += ub ** 2;
  }
  rows.push([name, Math.sqrt(d) / Math.sqrt(u)]);
}
for (const [n, v] of rows.filter(([n]) => n.startsWith('stem'))) console.log(`${n}: ${v.toExponential(2)}`);
const worst = rows
  .filter(([n]) => !n.includes('moving'))
  .sort((x, y) => y[1] - x[1])
  .slice(0, 5);
console.log('worst:', worst.map(([n, v]) => `${n} ${v.toExponential(2)}`).join(', '));
model.dispose();
ref.dispose();
