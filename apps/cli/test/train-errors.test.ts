// Bad options and corrupt data reach the user as one named error and a non-zero exit, before any training.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratch, smallCifar, smallMnist } from './train-fixtures.js';
import { cli, expectSuccess } from './cli-runner.js';

describe('convzoo train: option errors name the option', () => {
  it.each([
    [['--epochs', '0'], /--epochs must be an integer >= 1, got '0'/],
    [['--batch-size', 'x'], /--batch-size must be an integer >= 1, got 'x'/],
    [['--validation-split', '1'], /--validation-split must be a number in \[0, 0\.999999\], got '1'/],
    [['--seed=-3'], /--seed must be an integer >= 0, got '-3'/],
    [['--limit', '0'], /--limit must be an integer >= 1/],
    [['--dataset', 'imagenet'], /--dataset must be one of mnist, fashion-mnist, cifar10, got 'imagenet'/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['lenet', '--model', 'vgg16'], /model given twice/],
  ])('%j', async (args, message) => {
    const r = await cli('train', ...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('--backend: an unknown name is named, with the alternatives', async () => {
    const data = smallMnist(8, 8);
    const unknown = await cli('train', '--data-dir', data, '--backend', 'tfjs-wsam', '--out', join(scratch(), 'o'));
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/--backend tfjs-wsam: unknown backend 'tfjs-wsam' \(did you mean 'tfjs-wasm'\?\)/);
  });

  it('trains on onnx-cpu and resumes that checkpoint on tfjs-wasm (issue 11)', async () => {
    const data = smallMnist(8, 8);
    const out = join(scratch(), 'cross');
    const args = ['train', '--data-dir', data, '--out', out, '--batch-size', '4', '--validation-split', '0.5', '--logdir', join(out, 'logs')];
    const first = await cli(...args, '--backend', 'onnx-cpu', '--epochs', '1');
    expectSuccess(first);
    const resumed = await cli(...args, '--backend', 'tfjs-wasm', '--epochs', '2', '--resume');
    expectSuccess(resumed);
    expect(resumed.out).toContain('(1 epoch done)');
    expect(resumed.out).toContain('Epoch 2/2');
  });

  it('--model: an unknown architecture is named', async () => {
    const r = await cli('train', 'lenett', '--data-dir', smallMnist(8, 8), '--out', join(scratch(), 'o'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--model lenett: .*lenet/);
  });

  it('--resume without a checkpoint says where it looked', async () => {
    const out = join(scratch(), 'none');
    const r = await cli('train', '--resume', '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--resume: checkpoint directory ${out} does not exist`);
  });
});

describe('convzoo train: corrupt data sets give a named error and a non-zero exit', () => {
  it('a truncated IDX file names the file and the sizes', async () => {
    const dir = smallMnist(64, 16);
    const file = join(dir, 'train-images-idx3-ubyte');
    writeFileSync(file, readFileSync(file).subarray(0, 16 + 784 * 10 + 5));
    const r = await cli('train', '--data-dir', dir, '--epochs', '1');
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('train-images-idx3-ubyte');
    expect(r.err).toMatch(/\d+ bytes/);
    expect(r.out).not.toContain('Epoch 1/1');
  });

  it('a wrong magic number names the file', async () => {
    const dir = smallMnist(64, 16);
    const file = join(dir, 't10k-labels-idx1-ubyte');
    const bytes = readFileSync(file);
    bytes[0] = 0x42; // IDX magic starts with two zero bytes
    writeFileSync(file, bytes);
    const r = await cli('train', '--data-dir', dir, '--epochs', '1');
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('t10k-labels-idx1-ubyte');
    expect(r.err).toMatch(/magic/i);
  });

  it('a CIFAR-10 batch of the wrong length names the file and the record size', async () => {
    const dir = smallCifar(4);
    const file = join(dir, 'data_batch_3.bin');
    writeFileSync(file, readFileSync(file).subarray(0, 3073 * 2 + 100));
    const r = await cli('train', '--dataset', 'cifar10', '--data-dir', dir, '--epochs', '1');
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('data_batch_3.bin');
    expect(r.err).toContain('3073');
  });

  it('a missing data directory is named', async () => {
    const dir = join(scratch(), 'missing');
    const r = await cli('train', '--data-dir', dir);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain(dir);
  });
});
