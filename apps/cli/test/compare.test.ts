// `convzoo compare`: on two agreeing backends every layer is within tolerance (exit 0); against the conformance
// suite's wrong-padding backend the table names the perturbed layer as the first over tolerance (exit 1).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultRegistry } from '@convzoo/backend';
import { wrongPaddingBackend } from '@convzoo/backend/conformance';
import { cli } from './cli-runner.js';
import { registerBackends } from '../src/open-model.js';

const WRONG = 'tfjs-cpu-wrong-padding';
const LAYER = 'stage1_block2_2_conv';

beforeAll(() => {
  registerBackends();
  if (!defaultRegistry.list().some((b) => b.name === WRONG)) defaultRegistry.register(wrongPaddingBackend({ name: WRONG, base: 'tfjs-cpu', layer: LAYER }));
});

describe('convzoo compare', () => {
  it('tfjs-cpu vs onnx-cpu: every layer of resnet20 within tolerance', async () => {
    const r = await cli('compare', 'resnet20', '--backends', 'tfjs-cpu,onnx-cpu', '--seed', '3');
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^stem_conv\s+conv2d\s+\[1, 32, 32, 16\]/m);
    expect(r.out).toContain('every layer within tolerance 0.0001 (tfjs-cpu vs onnx-cpu)');
    expect(r.code).toBe(0);
  });

  it('names the perturbed layer as the first over tolerance, exit 1', async () => {
    const r = await cli('compare', 'resnet20', '--backends', `tfjs-cpu,${WRONG}`, '--seed', '3');
    expect(r.out).toContain(`first layer over tolerance 0.0001: '${LAYER}' (conv2d)`);
    expect(r.out).toMatch(new RegExp(`^${LAYER}\\s.*<- first over$`, 'm'));
    expect(r.code).toBe(1);
  });

  it('reads --input-file as raw float32 and refuses a wrong size by name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convzoo-compare-'));
    const good = join(dir, 'x.bin');
    writeFileSync(good, Buffer.from(new Float32Array(28 * 28).fill(0.5).buffer));
    const ok = await cli('compare', 'lenet', '--backends', 'tfjs-cpu,onnx-cpu', '--input-file', good);
    expect(ok.code).toBe(0);
    const bad = join(dir, 'bad.bin');
    writeFileSync(bad, Buffer.from(new Float32Array(100).buffer));
    const r = await cli('compare', 'lenet', '--backends', 'tfjs-cpu,onnx-cpu', '--input-file', bad);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`--input-file ${bad}: 100 values is not a whole number of [28, 28, 1] images`);
  });

  it('wants exactly two backends', async () => {
    const r = await cli('compare', 'lenet', '--backends', 'tfjs-cpu');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--backends takes two backend names');
  });
});
