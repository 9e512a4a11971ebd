// `convzoo doctor` lists every backend the CLI registers, says which start here and why the others do not.
import { describe, expect, it } from 'vitest';
import { cli } from './cli-runner.js';

const run = (...argv: string[]) => cli('doctor', ...argv);

describe('convzoo doctor', () => {
  it('prints every backend, best first, with reasons for the unavailable ones', async () => {
    const { code, out } = await run();
    expect(code).toBe(0);
    expect(out).toMatch(/✓ tfjs-cpu\s+available/);
    expect(out).toMatch(/✓ tfjs-wasm\s+available/);
    // Not installable offline: named with the command that installs it.
    expect(out).toMatch(/✗ tfjs-node\s+unavailable[^\n]*\n\s+.*npm i @tensorflow\/tfjs-node/);
    expect(out).toMatch(/✗ tfjs-webgl\s+unavailable[^\n]*\n\s+.*browser/);
    expect(out).toContain('onnx-cpu');
    // The ONNX backends train too (issue 11): onnx-cpu (70) outranks tfjs-wasm (20) for training.
    expect(out).toMatch(/backends available; 'auto' picks \S+ \(for training: onnx-cpu\)/);
    // best first: tfjs-wasm (20) before tfjs-cpu (10)
    expect(out.indexOf('tfjs-wasm')).toBeLessThan(out.indexOf('tfjs-cpu'));
  });

  it('--json gives one entry per backend with the probe result', async () => {
    const { code, out } = await run('--json');
    expect(code).toBe(0);
    const entries = JSON.parse(out) as { name: string; available: boolean; reason?: string; canTrain: boolean; priority: number }[];
    const byName = new Map(entries.map((e) => [e.name, e]));
    expect(byName.get('tfjs-cpu')).toMatchObject({ available: true, canTrain: true });
    expect(byName.get('tfjs-node')?.available).toBe(false);
    expect(byName.get('tfjs-node')?.reason).toContain('npm i @tensorflow/tfjs-node');
    expect(entries.map((e) => e.priority)).toEqual([...entries.map((e) => e.priority)].sort((a, b) => b - a));
  });

  it('rejects unknown options', async () => {
    const { code, err } = await run('--verbose');
    expect(code).toBe(2);
    expect(err).toContain("Unknown option '--verbose'");
  });
});
