// A LeNet trained by `convzoo train` (the tutorial's recipe, shortened: 1024 images, 1 epoch) exports with
// `convzoo export`, and the exported file on a bare ONNX Runtime session predicts the same class as the training
// backend for every test image, so test accuracy is equal to the last image. `convzoo eval --backend onnx-cpu`
// prints the same accuracy as on the training backend.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { compile, type Tensor } from '@convzoo/backend';
import { loadCheckpoint } from '@convzoo/train';
import { cli, expectSuccess } from './cli-runner.js';
import { registerBackends } from '../src/open-model.js';
import { loadData } from '../src/train-data.js';

const TRAIN_BACKEND = 'tfjs-wasm';
// CONVZOO_LENET_FULL=1 runs the tutorial itself (5 epochs, batch 128, validation split 0.95, all 10,000 test images):
// a few minutes, so not in the default run.
const FULL = process.env.CONVZOO_LENET_FULL === '1';
const N = FULL ? 10_000 : 1024;
const TRAIN_ARGS = FULL ? [] : ['--epochs', '1', '--limit', String(N), '--validation-split', '0'];
const EVAL_ARGS = FULL ? [] : ['--limit', String(N)];

function argmaxRows(t: Tensor): number[] {
  const [n, k] = t.shape as [number, number];
  return Array.from({ length: n }, (_, i) => {
    let best = 0;
    for (let j = 1; j < k; j++) if (t.data[i * k + j]! > t.data[i * k + best]!) best = j;
    return best;
  });
}

describe('trained LeNet exported to ONNX', () => {
  it(`predicts every test image as ${TRAIN_BACKEND} does, so accuracy is equal`, { timeout: FULL ? 1_800_000 : 180_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convzoo-lenet-'));
    const ckpt = join(dir, 'ckpt');
    const train = await cli('train', 'lenet', ...TRAIN_ARGS, '--backend', TRAIN_BACKEND, '--out', ckpt, '--logdir', join(dir, 'logs'));
    expectSuccess(train);
    const file = join(dir, 'lenet.onnx');
    expect((await cli('export', ckpt, '-o', file)).code).toBe(0);

    const { test } = await loadData('mnist', undefined, FULL ? { train: 1 } : { train: 1, test: N });
    const x = test.x as Tensor;
    const labels = argmaxRows(test.y as Tensor);
    registerBackends();
    const trained = await compile(loadCheckpoint(ckpt).spec, { backend: TRAIN_BACKEND, weights: loadCheckpoint(ckpt).weights, strictWeights: true });
    const [ref] = await trained.predict(x);
    trained.dispose();
    const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(file)));
    const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', x.data, x.shape) });
    await session.release();
    const onnx = { shape: ref!.shape, data: out[session.outputNames[0]!]!.data as Float32Array };

    const a = argmaxRows(ref!);
    const b = argmaxRows(onnx);
    const differing = a.flatMap((c, i) => (c === b[i] ? [] : [i]));
    expect(differing, 'test images classified differently').toEqual([]);
    const maxDiff = ref!.data.reduce((m, v, i) => Math.max(m, Math.abs(v - onnx.data[i]!)), 0);
    expect(maxDiff).toBeLessThan(1e-4);
    const correct = (p: number[]) => p.filter((c, i) => c === labels[i]).length;
    expect(correct(b)).toBe(correct(a));
    expect(correct(a) / N).toBeGreaterThan(0.5); // it did learn something: the comparison is not between noise

    // The CLI's own evaluation agrees too.
    const accuracy = (text: string) => /Test Accuracy:\s+([\d.]+)/.exec(text)?.[1];
    const onTrainer = await cli('eval', ckpt, '--backend', TRAIN_BACKEND, ...EVAL_ARGS);
    const onOnnx = await cli('eval', ckpt, '--backend', 'onnx-cpu', ...EVAL_ARGS);
    if (FULL)
      console.log(
        `LeNet tutorial: ${TRAIN_BACKEND} ${accuracy(onTrainer.out)}, onnx-cpu ${accuracy(onOnnx.out)}, ONNX file ${correct(b) / N}; max |p diff| ${maxDiff}`,
      );
    expect(onOnnx.code).toBe(0);
    expect(accuracy(onOnnx.out)).toBe(accuracy(onTrainer.out));
    expect(Number(accuracy(onOnnx.out))).toBeCloseTo(correct(b) / N, 10);
  });
});
