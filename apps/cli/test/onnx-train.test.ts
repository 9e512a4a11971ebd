// `convzoo train --model model.onnx` and `convzoo finetune model.onnx` on a file PyTorch exported (torchvision's
// BasicBlock net, fixtures of @convzoo/backend-onnx): trained from the file's own weights, its input shape and classes
// the data set's to fit (named refusals otherwise), fine-tuned with its head cut off.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultRegistry } from '@convzoo/backend';
import { importOnnx, registerOnnxBackends, withSoftmaxOutput } from '@convzoo/backend-onnx';
import { loadDataset, toTensor } from '@convzoo/datasets';
import { loadCheckpoint } from '@convzoo/train';
import { describe, expect, it } from 'vitest';
import { cli, expectSuccess } from './cli-runner.js';
import { scratch, smallCifar, smallMnist } from './train-fixtures.js';

const file = fileURLToPath(new URL('../../../packages/backend-onnx/fixtures/onnx-import/resnet_blocks.onnx', import.meta.url));
const folder = fileURLToPath(new URL('../fixtures/finetune/', import.meta.url));
const fileWeights = importOnnx(new Uint8Array(readFileSync(file))).weights;

/** The largest |a - b| over the file's conv and dense kernels (moving statistics left out: they are not trained). */
function kernelDrift(weights: Record<string, { data: Float32Array }>, names = Object.keys(fileWeights)): number {
  let max = 0;
  for (const name of names.filter((n) => n.endsWith('/kernel'))) {
    const a = fileWeights[name]!.data;
    const b = weights[name]!.data;
    for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  }
  return max;
}

describe('convzoo train --model model.onnx', () => {
  it('trains from the file’s weights on a data set of its input shape (CIFAR-10 format, 32x32x3, 10 classes)', async () => {
    const dir = scratch();
    const r = await cli(
      'train',
      '--model',
      file,
      '--dataset',
      'cifar10',
      '--data-dir',
      smallCifar(16),
      '--limit',
      '64',
      '--epochs',
      '1',
      '--batch-size',
      '16',
      '--validation-split',
      '0',
      '--backend',
      'onnx-cpu',
      '--out',
      join(dir, 'ckpt'),
      '--logdir',
      join(dir, 'logs'),
    );
    expectSuccess(r);
    expect(r.out).toContain("Training on backend 'onnx-cpu'");
    expect(r.out).toMatch(/Test Accuracy: {2}[\d.]+/);
    // 4 Adam steps at lr 1e-3 move a weight by at most ~4e-3 (Adam's step is about lr per weight); weights drawn afresh
    // would differ from the file's by ~0.1 and more. Measured: 4.0e-3 (three runs alike: the run is seeded).
    const drift = kernelDrift(loadCheckpoint(join(dir, 'ckpt')).weights);
    console.log(`largest kernel change after 4 Adam steps: ${drift.toExponential(2)}`);
    expect(drift).toBeGreaterThan(0);
    expect(drift).toBeLessThanOrEqual(6e-3);
  }, 60_000);

  it('eval scores the file’s logits through a softmax: the cross-entropy of its probabilities', async () => {
    const data = smallCifar(16);
    const r = await cli('eval', file, '--dataset', 'cifar10', '--data-dir', data, '--backend', 'onnx-cpu');
    expectSuccess(r);
    const score = Number(/Test Score: {2}(\S+)/.exec(r.out)![1]);
    // The reference: softmax of the file's logits on the same 16 test images, -log p(label) averaged here.
    registerOnnxBackends();
    const { test } = await loadDataset('cifar10', { dir: data });
    const { spec, weights } = importOnnx(new Uint8Array(readFileSync(file)));
    const model = await defaultRegistry.compile(withSoftmaxOutput(spec), { backend: 'onnx-cpu', weights, strictWeights: true });
    const [p] = await model.predict(toTensor(test.x));
    model.dispose();
    let sum = 0;
    for (let i = 0; i < test.y.length; i++) sum -= Math.log(p!.data[i * 10 + test.y[i]!]!);
    const ce = sum / test.y.length;
    console.log(`eval Test Score ${score}, reference ${ce}`);
    // Read as probabilities, the logits scored 5.26 here; measured: 2.3418580 against 2.3418580 (1.9e-8 apart, float32
    // against this float64 mean), twice alike; the bound 1e-5 relative is ~1000x that.
    expect(Math.abs(score - ce)).toBeLessThanOrEqual(1e-5 * ce);
  });

  it('refuses a data set that does not fit, naming the file, the model’s input shape and the data set’s', async () => {
    const r = await cli('train', file, '--data-dir', smallMnist(8, 8), '--out', join(scratch(), 'ckpt'));
    expect(r.code).toBe(2);
    expect(r.err).toContain(`the ONNX file '${file}' takes 32x32x3 images (HxWxC); mnist's are 28x28x1`);
    const options = await cli('train', file, '--input', '28x28x1', '--out', join(scratch(), 'ckpt'));
    expect(options.code).toBe(2);
    expect(options.err).toContain(`--input applies to registered models, not to the ONNX file '${file}'`);
  });

  it('refuses a model whose classes are not the data set’s (a spec file of 5 classes on MNIST)', async () => {
    const dir = scratch();
    const spec = await cli('summary', 'lenet', '--classes', '5', '--json');
    expectSuccess(spec);
    writeFileSync(join(dir, 'lenet5.json'), spec.out);
    const r = await cli('train', join(dir, 'lenet5.json'), '--data-dir', smallMnist(8, 8), '--out', join(dir, 'ckpt'));
    expect(r.code).toBe(2);
    expect(r.err).toContain(`the spec file '${join(dir, 'lenet5.json')}' outputs [5] per image; mnist has 10 classes`);
  });
});

describe('convzoo finetune model.onnx', () => {
  it('cuts the file’s head off, trains a new one (and its last stage) from the file’s weights; eval and export take the checkpoint', async () => {
    const dir = scratch();
    const ckpt = join(dir, 'ckpt');
    const args = ['--epochs', '6', '--learning-rate', '0.01', '--unfreeze', '1', '--backend', 'onnx-cpu', '--out', ckpt, '--logdir', join(dir, 'logs')];
    const r = await cli('finetune', file, '--data-dir', join(folder, 'train'), ...args);
    expectSuccess(r);
    expect(r.out).toContain('each resized and cropped to 32x32 by --preprocessing torch');
    // torchvision's Sequential numbers its modules: stages 0 (conv), 1 (BatchNorm), 4 and 5 (BasicBlocks).
    expect(r.out).toMatch(/Trained stages 5 and the new head on 18 images \(features cached at '\/4\/relu_1\/Relu', 8x8x8/);
    const snap = loadCheckpoint(ckpt, 'best');
    expect(snap.spec.outputs).toEqual(['predictions']);
    expect(snap.spec.layers.some((l) => l.name === '/8/Gemm')).toBe(false);
    // The frozen stages keep the file's weights exactly; the unfrozen one moved from them.
    expect(kernelDrift(snap.weights, ['/0/Conv/kernel', '/4/conv1/Conv/kernel', '/4/conv2/Conv/kernel'])).toBe(0);
    expect(kernelDrift(snap.weights, ['/5/conv1/Conv/kernel'])).toBeGreaterThan(0);
    const loss = (snap.state.history.history.loss ?? []) as number[];
    expect(loss).toHaveLength(6);
    expect(loss.at(-1)!).toBeLessThan(loss[0]!);
    expectSuccess(await cli('eval', ckpt, '--data-dir', join(folder, 'test'), '--backend', 'onnx-cpu'));
    expectSuccess(await cli('export', ckpt, '-o', join(dir, 'finetuned.onnx')));
  }, 60_000);

  it('refuses the options a file decides (--input, --weights) and an unknown --preprocessing (exit 2)', async () => {
    for (const extra of [
      ['--input', '64x64x3'],
      ['--weights', 'keras_imagenet'],
      ['--preprocessing', 'sepia'],
    ]) {
      const r = await cli('finetune', file, '--data-dir', join(folder, 'train'), '--out', join(scratch(), 'ckpt'), ...extra);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(
        extra[0] === '--preprocessing'
          ? /--preprocessing must be one of torch, tf, caffe, got 'sepia'/
          : new RegExp(`${extra[0]} applies to registered models`),
      );
    }
  });
});
