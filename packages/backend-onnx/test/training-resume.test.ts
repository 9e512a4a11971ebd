// Checkpoints move between training backends: state trained on onnx-cpu (weights, BN statistics, Adam slots and
// step) resumes on tfjs-wasm and back, and the next steps agree. Dropout masks are reproducible per (seed, step).
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, type TrainableModel, type TrainingConfig } from '@convzoo/backend';
import { randomInputs, randomTargets, randomWeights, relativeError } from '@convzoo/backend/conformance';
import { registerTfjsBackends } from '@convzoo/backend-tfjs';
import { SpecBuilder, type ModelSpec } from '@convzoo/models';
import { registerOnnxBackends } from '../src/index.js';

function smallNet(dropout: number): ModelSpec {
  const b = new SpecBuilder('resume_net');
  let x = b.conv2d(b.input([8, 8, 2]), { filters: 4, kernelSize: 3, activation: 'relu' });
  x = b.maxPool2d(b.batchNorm(x), { poolSize: 2 });
  x = b.dropout(b.flatten(x), { rate: dropout });
  return b.build(b.dense(x, { units: 5, activation: 'softmax' }));
}

const training: TrainingConfig = { loss: 'categoricalCrossentropy', optimizer: { kind: 'adam', learningRate: 1e-2 } };
const open = async (backend: string, spec: ModelSpec, weights = randomWeights(spec, 3)) =>
  (await compile(spec, { backend, weights, strictWeights: true, seed: 7, training })) as TrainableModel;

describe('training state across backends', () => {
  beforeAll(() => {
    registerTfjsBackends();
    registerOnnxBackends();
  });

  it('onnx-cpu -> tfjs-wasm -> onnx-cpu: evaluation and the next steps agree', async () => {
    const spec = smallNet(0);
    const x = randomInputs(spec, 6, 1);
    const onnx = await open('onnx-cpu', spec);
    const y = randomTargets(spec, await onnx.predict(x), 2);
    for (let i = 0; i < 3; i++) await onnx.trainStep(x, y);
    const tfjs = await open('tfjs-wasm', spec, await onnx.getWeights());
    await tfjs.setOptimizerState(await onnx.getOptimizerState());
    const [ea, eb] = [await onnx.evaluateStep(x, y), await tfjs.evaluateStep(x, y)];
    expect(relativeError(Float32Array.of(ea.loss), Float32Array.of(eb.loss))).toBeLessThan(1e-5);
    expect(relativeError(ea.outputs[0]!.data, eb.outputs[0]!.data)).toBeLessThan(1e-5);
    await onnx.trainStep(x, y);
    await tfjs.trainStep(x, y);
    const [wa, wb] = [await onnx.getWeights(), await tfjs.getWeights()];
    for (const [name, t] of Object.entries(wb)) expect(relativeError(wa[name]!.data, t.data), name).toBeLessThan(1e-4);
    // And back: tfjs-wasm's state into a fresh onnx-cpu model.
    const back = await open('onnx-cpu', spec, wb);
    await back.setOptimizerState(await tfjs.getOptimizerState());
    expect((await back.getOptimizerState()).step).toBe(4);
    const [r1, r2] = [await back.trainStep(x, y), await tfjs.trainStep(x, y)];
    expect(relativeError(Float32Array.of(r1.loss), Float32Array.of(r2.loss))).toBeLessThan(1e-4);
    for (const m of [onnx, tfjs, back]) m.dispose();
  });

  it('dropout masks repeat for the same seed and step, and change from step to step', async () => {
    const spec = smallNet(0.5);
    const x = randomInputs(spec, 4, 1);
    const [a, b] = [await open('onnx-cpu', spec), await open('onnx-cpu', spec)];
    const y = randomTargets(spec, await a.predict(x), 2);
    const [s1, s2] = [await a.trainStep(x, y), await b.trainStep(x, y)];
    expect(s1.loss).toBe(s2.loss);
    const next = await a.trainStep(x, y);
    // Different masks give different training-mode outputs at the next step even though predict is deterministic.
    expect(Array.from(next.outputs[0]!.data)).not.toEqual(Array.from(s1.outputs[0]!.data));
    const evals = [await a.evaluateStep(x, y), await a.evaluateStep(x, y)];
    expect(evals[0]!.loss).toBe(evals[1]!.loss);
    a.dispose();
    b.dispose();
  });
});
