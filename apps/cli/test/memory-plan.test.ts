// The memory plan against real peaks (each in a fresh process, scripts/memory-probe.ts): tfjs-wasm's heap after one
// training step must stay within the plan, and the plan must not be so loose that it refuses what fits (<= 2.5x).
// And `convzoo train` refuses a batch that cannot fit before the first step, with the advice.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from './cli-runner.js';

const cliRoot = fileURLToPath(new URL('..', import.meta.url));

function probe(...args: string[]): { plannedBytes: number; reservedBytes: number; error?: string } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--conditions=source', 'scripts/memory-probe.ts', ...args], {
    cwd: cliRoot,
    encoding: 'utf8',
    timeout: 180_000,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

describe('memory plan vs measured peak (tfjs-wasm, one Adam step)', () => {
  it.each([
    ['lenet', '128', '28x28x1'],
    ['resnet20', '32', '28x28x1'],
  ])(
    '%s at batch %s',
    (model, batch, input) => {
      const r = probe('tfjs-wasm', model, batch, 'train', input);
      expect(r.error).toBeUndefined();
      expect(r.reservedBytes).toBeGreaterThan(0);
      // The heap after one step is deterministic: 3 runs gave the same bytes, lenet 106,823,680 (plan 1.262x) and
      // resnet20 449,839,104 (plan 1.086x), so these bounds meet no run-to-run noise, only a change of the plan or of tfjs.
      expect(r.plannedBytes).toBeGreaterThanOrEqual(r.reservedBytes);
      expect(r.plannedBytes).toBeLessThanOrEqual(2.5 * r.reservedBytes);
    },
    200_000,
  );
});

describe('convzoo train checks the plan before the first step', () => {
  const trainAt224OnWasm = (model: string, ...options: string[]) =>
    cli('train', model, '--dataset', 'fashion-mnist', '--input', '224x224x3', '--backend', 'tfjs-wasm', ...options);

  it('refuses googlenet at its native 224x224x3 and batch 128 on tfjs-wasm, with the largest batch that fits', async () => {
    const r = await trainAt224OnWasm('googlenet', '--limit', '16', '--epochs', '1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /--batch-size 128: googlenet at batch 128 \(training\) needs ~[\d.]+ GiB on tfjs-wasm; it has 3\.40 GiB \(tfjs-backend-wasm's 4 GiB WebAssembly heap, less 15% for fragmentation\): the largest batch that fits is \d+; backends that fit batch 128: [a-z0-9-]+(, [a-z0-9-]+)*; --batch-size auto picks one that fits/,
    );
    // Which others fit depends on this machine's free memory; never the one that just refused.
    expect(r.err.match(/backends that fit batch 128: ([^;]+);/)![1]!.split(', ')).not.toContain('tfjs-wasm');
    expect(r.out).not.toContain('Epoch 1/1');
  });

  it('refuses vgg16 on tfjs-wasm at any batch (its weights, gradients, Adam slots and update temporaries alone exceed the heap)', async () => {
    const r = await trainAt224OnWasm('vgg16', '--batch-size', 'auto', '--limit', '8', '--epochs', '1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--batch-size auto: vgg16 at batch 128 \(training\) needs ~[\d.]+ GiB on tfjs-wasm; .*: not even one image fits/);
  });
});
