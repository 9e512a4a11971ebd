import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectSuccess } from './cli-runner.js';

describe('convzoo bench train', () => {
  it('times LeNet training steps on tfjs-wasm and tfjs-cpu in interleaved rounds and projects an epoch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convzoo-bench-test-'));
    const csv = join(dir, 'bench.csv');
    const r = await cli(
      'bench',
      'train',
      'lenet',
      '--backend',
      'tfjs-wasm,tfjs-cpu',
      '--batch-size',
      '4',
      '--steps',
      '2',
      '--warmup',
      '1',
      '--epoch-size',
      '1000',
      '--runs',
      '2',
      '--csv',
      csv,
    );
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    rmSync(dir, { recursive: true, force: true });
    expectSuccess(r);
    expect(r.out).toMatch(/^lenet \(28x28x1\): training steps at batch 4, median of 2 after 1 warm-up, 2 interleaved rounds$/m);
    // a header, then one line per backend and round
    expect(lines[0]).toMatch(/^model,input,batch,backend,/);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 4).join(',') + `,${l.split(',')[6]}`)).toEqual([
      'lenet,28x28x1,4,tfjs-wasm,0',
      'lenet,28x28x1,4,tfjs-cpu,0',
      'lenet,28x28x1,4,tfjs-wasm,1',
      'lenet,28x28x1,4,tfjs-cpu,1',
    ]);
    for (const backend of ['tfjs-wasm', 'tfjs-cpu']) {
      // ms/step, samples/s, s/epoch, CPU ms/step, cores
      const row = new RegExp(`^${backend}\\s+([\\d.]+)\\s+(\\d+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)$`, 'm').exec(r.out);
      expect(row, `${backend} row in\n${r.out}`).not.toBeNull();
      const [ms, sps, epoch] = row!.slice(1, 4).map(Number) as [number, number, number];
      expect(ms).toBeGreaterThan(0);
      // samples/s and s/epoch follow from ms/step, up to the printed rounding (ms to 0.05, samples/s to 0.5)
      expect(sps).toBeGreaterThanOrEqual(4000 / (ms + 0.05) - 0.5);
      expect(sps).toBeLessThanOrEqual(4000 / (ms - 0.05) + 0.5);
      expect(Math.abs(epoch - ms / 4)).toBeLessThanOrEqual(0.05 + 0.05 / 4 + 1e-9);
    }
  });

  it.each([
    [['bench'], /expected 'train', got nothing/],
    [['bench', 'infer'], /expected 'train', got 'infer'/],
    [['bench', 'train', 'lenet', 'extra'], /unexpected argument 'extra'/],
    [['bench', 'train', 'nosuchnet'], /nosuchnet/],
    [['bench', 'train', '--steps', '0'], /--steps must be an integer >= 1, got '0'/],
    [['bench', 'train', '--backend', 'tfjs-wasm,'], /--backend must be a comma-separated list/],
    [['bench', 'train', '--backend', 'no-such-engine', '--steps', '1'], /--backend no-such-engine/],
    [['bench', 'train', 'vgg11_bn', '--input', '32x32'], /--input must be HxWxC/],
    [['bench', 'train', '--runs', '0'], /--runs must be an integer >= 1, got '0'/],
  ])('%j is a user error naming what is wrong', async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('a batch the backend cannot hold is refused before any step, naming the batch, the backend and what fits', async () => {
    // tfjs-wasm's heap is 4 GiB: resnet56 at batch 128 aborted the WebAssembly module on its first step ("Aborted()").
    const r = await cli('bench', 'train', 'resnet56', '--backend', 'tfjs-wasm', '--batch-size', '128', '--steps', '1', '--warmup', '0');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /--batch-size 128: resnet56 at batch 128 \(training\) needs ~[\d.]+ GiB on tfjs-wasm; .* the largest batch that fits is \d+; backends that fit batch 128: onnx-cpu/,
    );
    expect(r.err).not.toMatch(/--batch-size auto/);
  });

  it('a peer whose Python cannot start is a failure naming the option and the interpreter', async () => {
    const r = await cli('bench', 'train', '--backend', 'tfjs-cpu', '--batch-size', '2', '--steps', '1', '--torch', '/no/such/python');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--torch \/no\/such\/python: the torch peer failed: spawn \/no\/such\/python ENOENT/);
  });
});
