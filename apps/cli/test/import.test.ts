// `convzoo import model.onnx -o DIR`, and the .onnx file or the imported directory taken as the model by summary,
// eval, compare and export; refusals exit 1 naming the node.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from '@convzoo/backend-onnx';
import { cli, expectSuccess } from './cli-runner.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'convzoo-import-'));

async function run(file: string, x: Float32Array): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(file);
  try {
    const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', x, [2, 28, 28, 1]) });
    return out[session.outputNames[0]!]!.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('convzoo import', () => {
  it('imports an ONNX file into a checkpoint that summary, eval, compare and export take, as they take the file', async () => {
    const dir = tmp();
    const file = join(dir, 'lenet.onnx');
    expectSuccess(await cli('export', 'lenet', '--format', 'onnx', '-o', file, '--seed', '3'));
    const imported = await cli('import', file, '-o', join(dir, 'ckpt'));
    expectSuccess(imported);
    expect(imported.out).toMatch(/Imported .*lenet\.onnx: 12 layers, 431,080 parameters \(opset 13\)/);
    expect(imported.out).toContain('Input: NHWC in the file; convzoo takes NHWC [N, 28, 28, 1]');
    for (const target of [file, join(dir, 'ckpt')]) {
      const summary = await cli('summary', target);
      expectSuccess(summary);
      expect(summary.out).toContain('Total params: 431,080');
      expectSuccess(await cli('eval', target, '--backend', 'onnx-cpu', '--limit', '64'));
      expectSuccess(await cli('compare', target, '--backends', 'onnx-cpu,tfjs-cpu'));
    }
    // Re-exported from the imported checkpoint, the file computes what the original does (max abs difference 0 measured).
    const again = join(dir, 'again.onnx');
    expectSuccess(await cli('export', join(dir, 'ckpt'), '--format', 'onnx', '-o', again));
    const x = Float32Array.from({ length: 2 * 28 * 28 }, (_, i) => Math.abs(Math.sin(i)));
    const [a, b] = [await run(file, x), await run(again, x)];
    const diff = Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
    console.log(`re-exported lenet vs original: max abs difference ${diff}`);
    expect(diff).toBeLessThanOrEqual(1e-6);
  }, 120_000);

  it('refuses an op convzoo cannot express (exit 1, naming the node) and a missing --out (exit 2)', async () => {
    const dir = tmp();
    const file = join(dir, 'lenet.onnx');
    expectSuccess(await cli('export', 'lenet', '--format', 'onnx', '-o', file));
    const model = decodeModel(new Uint8Array(readFileSync(file)));
    const relu = model.graph.node.find((n) => n.op_type === 'Relu')!;
    relu.op_type = 'Elu';
    const bad = join(dir, 'bad.onnx');
    writeFileSync(bad, encodeModel(model));
    const r = await cli('import', bad, '-o', join(dir, 'out'));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`node '${relu.name}' (Elu, opset 13): unsupported ops Elu`);
    expect((await cli('import', file)).code).toBe(2);
  });
});
