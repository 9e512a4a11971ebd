// `convzoo experiment degradation`: the quick variant end to end on the real Fashion-MNIST files (Debian
// dataset-fashion-mnist), resuming, and the named errors.
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CSV_HEADER } from '../src/commands/experiment.js';
import { engineAbortError, isEngineAbort } from '../src/engine-abort.js';
import { scratch } from './train-fixtures.js';
import { cli, expectSuccess } from './cli-runner.js';

const NETS = ['plain20', 'plain56', 'resnet20', 'resnet56'];
const csvRows = (path: string) => readFileSync(path, 'utf8').trim().split('\n').slice(1);

describe('convzoo experiment degradation', () => {
  it('--limit 256 --epochs 1: trains the four nets and writes the figure, CSVs and TensorBoard runs', async () => {
    const out = scratch();
    const r = await cli('experiment', 'degradation', '--limit', '256', '--test-limit', '64', '--epochs', '1', '--batch-size', '64', '--out', out);
    expectSuccess(r);
    expect(r.out).toMatch(/resnet56 trains (WORSE|no worse) than plain56/);
    expect(r.out).toMatch(/Recipe: SGD momentum 0\.9, weight decay 0\.0001, batch 64, 1 epochs; .*inputs per-channel normalised/);
    expect(r.out).toMatch(/plain56 trains (WORSE|no worse) than plain20 \(\d+\.\d\d% vs \d+\.\d\d%\)/);
    expect(r.out).toMatch(/resnet56 trains (WORSE|no worse) than resnet20/);
    expect(readFileSync(join(out, 'degradation.csv'), 'utf8').split('\n')[0]).toBe(CSV_HEADER);
    const summary = csvRows(join(out, 'degradation.csv')).map((l) => l.split(','));
    expect(summary.map((row) => row[0])).toEqual(NETS);
    for (const row of summary) {
      expect(Number(row[2])).toBe(4); // 256 / 64 iterations
      expect(Number(row[3])).toBeGreaterThanOrEqual(0);
      expect(Number(row[3])).toBeLessThanOrEqual(1);
      expect(row.slice(6).join(',')).toMatch(/^"SGD momentum 0\.9, .*augmentation none/);
    }
    for (const net of NETS) {
      const iterations = csvRows(join(out, net, 'iterations.csv')).map((l) => l.split(',').map(Number));
      expect(iterations.map((row) => row[1])).toEqual([1, 2, 3, 4]);
      expect(existsSync(join(out, net, 'checkpoint.json'))).toBe(true);
      expect(readdirSync(join(out, 'tensorboard', net, 'iterations')).some((f) => f.startsWith('events.out.tfevents'))).toBe(true);
      expect(readdirSync(join(out, 'tensorboard', net, 'validation')).some((f) => f.startsWith('events.out.tfevents'))).toBe(true);
    }
    const svg = readFileSync(join(out, 'degradation.svg'), 'utf8');
    expect(svg).toContain('plain networks');
    expect(svg).toContain('residual networks');
    for (const label of ['plain-20 train', 'plain-56 test', 'ResNet-20 train', 'ResNet-56 test']) expect(svg).toContain(label);
    expect(svg).toContain('Recipe: SGD momentum 0.9');
    expect(svg.match(/<path d="M/g)?.length).toBe(8); // 4 nets x (train, test)
    expect(svg.match(/stroke-dasharray/g)?.length).toBe(8); // 4 dashed training curves + their legend entries
    expect(readFileSync(join(out, 'degradation.png')).subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  }, 240_000);

  it('resumes: finished epochs are not trained again, iteration rows past the checkpoint are dropped and redone', async () => {
    const out = scratch();
    const args = ['experiment', 'degradation', '--nets', 'plain20', '--limit', '64', '--test-limit', '32', '--out', out];
    expect((await cli(...args, '--epochs', '1')).code).toBe(0);
    // A crash after the rows of epoch 2 were written but before its checkpoint: the rows must not survive.
    appendFileSync(join(out, 'plain20', 'iterations.csv'), '1,2,0.5,1.0\n');
    const second = await cli(...args, '--epochs', '2');
    expect(second.code).toBe(0);
    expect(second.out).toContain('plain20: resuming after epoch 1');
    expect(second.out).toContain('Epoch 2/2');
    expect(second.out).not.toContain('Epoch 1/2');
    const rows = csvRows(join(out, 'plain20', 'iterations.csv')).map((l) => l.split(','));
    expect(rows.map((row) => [row[0], row[1]])).toEqual([
      ['0', '1'],
      ['1', '2'],
    ]);
    const third = await cli(...args, '--epochs', '2');
    expect(third.out).toContain('plain20: already trained');
    expect(third.out).not.toContain('Epoch');
  }, 120_000);

  it.each([
    [['experiment'], /the only experiment is 'degradation'/],
    [['experiment', 'vanishing'], /the only experiment is 'degradation', got 'vanishing'/],
    [['experiment', 'degradation', '--nets', 'plain99'], /--nets: unknown net 'plain99'; choose from plain20, plain56, resnet20, resnet56/],
    [['experiment', 'degradation', '--dataset', 'imagenet'], /--dataset must be one of mnist, fashion-mnist, cifar10, got 'imagenet'/],
    [['experiment', 'degradation', '--epochs', '0'], /--epochs must be an integer >= 1, got '0'/],
  ])('%j is refused with a named error', async (args, message) => {
    const r = await cli(...(args as string[]), '--out', scratch());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});

describe('engine aborts', () => {
  it("turn tfjs-wasm's Aborted() into advice with a smaller batch and the kept checkpoint", () => {
    const abort = new Error('Aborted(). Build with -sASSERTIONS for more info.');
    expect(isEngineAbort(abort)).toBe(true);
    expect(isEngineAbort(new Error('memory access out of bounds'))).toBe(true);
    expect(isEngineAbort(new Error('label 12 at index 3 is outside 0..9'))).toBe(false);
    const e = engineAbortError(abort, { backend: 'tfjs-wasm', batchSize: 128, checkpoint: 'runs/x' });
    expect(e.exitCode).toBe(1);
    expect(e.message).toMatch(
      /^tfjs-wasm aborted at batch size 128 \("Aborted\(\)\. Build with -sASSERTIONS for more info\."\): the engine most likely ran out of memory/,
    );
    expect(e.message).toContain('Try --batch-size 64');
    expect(e.message).toContain('The last finished epoch is kept in runs/x');
  });
});
