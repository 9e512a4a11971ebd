// `convzoo export`: checkpoints and spec files to ONNX files that a bare ONNX Runtime session runs with convzoo's
// NHWC interface and the same numbers as the onnx-cpu backend.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { SpecBuilder, specToJSON, type ModelSpec } from '@convzoo/models';
import { BackendRegistry, initWeights } from '@convzoo/backend';
import { decodeModel, registerOnnxBackends } from '@convzoo/backend-onnx';
import { saveSnapshot } from '@convzoo/train';
import { cli, expectSuccess } from './cli-runner.js';

function smallNet(): ModelSpec {
  const b = new SpecBuilder('small_net');
  let x = b.input([8, 8, 3]);
  x = b.conv2d(x, { filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' });
  x = b.batchNorm(x);
  x = b.dense(b.flatten(x), { units: 5, activation: 'softmax' });
  return b.build(x);
}

const tmp = () => mkdtempSync(join(tmpdir(), 'convzoo-export-'));
const image = { shape: [2, 8, 8, 3], data: Float32Array.from({ length: 384 }, (_, i) => Math.sin(i)) };

describe('convzoo export', () => {
  it('exports a checkpoint with its trained weights; a bare ORT session matches onnx-cpu', async () => {
    const spec = smallNet();
    const weights = initWeights(spec, 5);
    weights['batch_normalization/moving_mean']!.data.fill(0.25); // a "trained" statistic, not the initial one
    const dir = tmp();
    saveSnapshot(join(dir, 'ckpt'), { spec, weights, state: { format: 'convzoo.train-state/1', epoch: 2, history: { epoch: [0, 1], history: {} }, seed: 0 } });
    const file = join(dir, 'model.onnx');
    const r = await cli('export', join(dir, 'ckpt'), '--format', 'onnx', '-o', file, '--opset', '14');
    expectSuccess(r);
    expect(r.out).toMatch(/Wrote .*model\.onnx .*opset 14\): small_net with trained weights of .*\(2 epoch\(s\)\)/);
    const bytes = new Uint8Array(readFileSync(file));
    const meta = Object.fromEntries(decodeModel(bytes).metadata_props.map((p) => [p.key, p.value]));
    expect(meta['convzoo.spec_name']).toBe('small_net');

    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ input_layer: new ort.Tensor('float32', image.data, image.shape) });
    const bare = out['dense']!.data as Float32Array;
    const registry = new BackendRegistry();
    registerOnnxBackends(registry);
    const model = await registry.compile(spec, { backend: 'onnx-cpu', weights });
    const [want] = await model.predict(image);
    model.dispose();
    await session.release();
    expect(Array.from(bare)).toEqual(Array.from(want!.data));
  });

  it('exports a spec file with seeded initial weights, and says so', async () => {
    const dir = tmp();
    const specFile = join(dir, 'net.json');
    writeFileSync(specFile, specToJSON(smallNet()));
    const a = await cli('export', specFile, '-o', join(dir, 'a.onnx'), '--seed', '3');
    const b = await cli('export', specFile, '-o', join(dir, 'b.onnx'), '--seed', '3');
    expect(a.code).toBe(0);
    expect(a.out).toContain('untrained weights (Keras default initialisers, seed 3)');
    expect(a.out).toContain('input_layer [batch, 8, 8, 3]');
    expect(readFileSync(join(dir, 'a.onnx')).equals(readFileSync(join(dir, 'b.onnx')))).toBe(true);
    expect(b.code).toBe(0);
  });

  it('names the bad option', async () => {
    const dir = tmp();
    const specFile = join(dir, 'net.json');
    writeFileSync(specFile, specToJSON(smallNet()));
    expect((await cli('export', specFile, '--format', 'tflite', '-o', 'x')).err).toMatch(/--format must be one of onnx, keras, triton, got 'tflite'/);
    expect((await cli('export', specFile)).err).toMatch(/-o\/--output is required/);
    expect((await cli('export', specFile, '-o', 'x.onnx', '--opset', '9')).err).toMatch(/--opset must be from 13 to 17, got 9/);
    expect((await cli('export', specFile, '-o', 'x.onnx', '--classes', '3')).err).toMatch(/--classes applies to registered models/);
    const r = await cli('export', dir, '-o', join(dir, 'x.onnx'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/holds no checkpoint/);
  });
});
