import { describe, expect, it } from 'vitest';
import { cli, expectSuccess } from './cli-runner.js';

describe('convzoo bench train', () => {
  it('times LeNet training steps on tfjs-wasm and tfjs-cpu and projects an epoch', async () => {
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
    );
    expectSuccess(r);
    expect(r.out).toMatch(/^lenet: training steps at batch 4, median of 2 after 1 warm-up$/m);
    for (const backend of ['tfjs-wasm', 'tfjs-cpu']) {
      const row = new RegExp(`^${backend}\\s+([\\d.]+)\\s+(\\d+)\\s+([\\d.]+)\\s+([\\d.]+)$`, 'm').exec(r.out);
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
  ])('%j is a user error naming what is wrong', async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});
