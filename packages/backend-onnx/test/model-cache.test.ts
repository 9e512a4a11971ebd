// Inference from weights by key (CompileOptions.weightsSource): the exported model is cached on disk, so a later
// compile hands onnxruntime the file and never loads the weights (what keeps `convzoo classify` at a bare session's
// footprint). A damaged cache file is rebuilt; getWeights still works (it loads them then).
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModel } from '@convzoo/models';
import { defaultRegistry, initWeights, type WeightMap, type WeightsSource } from '@convzoo/backend';
import { randomInputs } from '@convzoo/backend/conformance';
import { registerOnnxBackends } from '../src/index.js';

const spec = getModel('lenet');
const weights = initWeights(spec, 7);
const dir = mkdtempSync(join(tmpdir(), 'convzoo-onnx-cache-'));
let loads = 0;
const source = (cacheDir?: string): WeightsSource => ({
  key: 'lenet seed 7',
  load: async () => {
    loads++;
    return weights;
  },
  ...(cacheDir ? { cacheDir } : {}),
});
const x = randomInputs(spec, 2, 1);

beforeAll(() => registerOnnxBackends());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function predictWith(options: { weights?: WeightMap; weightsSource?: WeightsSource }) {
  const model = await defaultRegistry.compile(spec, { backend: 'onnx-cpu', ...options });
  try {
    return { out: (await model.predict(x))[0]!.data, model };
  } finally {
    model.dispose();
  }
}

describe('onnx-cpu: compiled models cached by weights key', () => {
  it('the first compile loads the weights and writes one file; the next loads nothing and predicts the same', async () => {
    const reference = (await predictWith({ weights })).out;
    loads = 0;
    const first = await predictWith({ weightsSource: source(dir) });
    expect(loads).toBe(1);
    expect(readdirSync(dir).filter((f) => f.endsWith('.onnx'))).toHaveLength(1);
    const second = await predictWith({ weightsSource: source(dir) });
    expect(loads).toBe(1);
    expect([...first.out]).toEqual([...reference]);
    expect([...second.out]).toEqual([...reference]);
  });

  it('getWeights() of a model built from the cache loads them on demand', async () => {
    loads = 0;
    const model = await defaultRegistry.compile(spec, { backend: 'onnx-cpu', weightsSource: source(dir) });
    try {
      expect(loads).toBe(0);
      const w = await model.getWeights();
      expect(loads).toBe(1);
      expect([...w['conv2d/kernel']!.data]).toEqual([...weights['conv2d/kernel']!.data]);
    } finally {
      model.dispose();
    }
  });

  it('a damaged cache file is dropped and rebuilt from the weights', async () => {
    const file = join(dir, readdirSync(dir).find((f) => f.endsWith('.onnx'))!);
    writeFileSync(file, 'not an onnx model');
    loads = 0;
    const { out } = await predictWith({ weightsSource: source(dir) });
    expect(loads).toBe(1);
    expect([...out]).toEqual([...(await predictWith({ weights })).out]);
  });

  it('without a cacheDir, or for training, the weights are loaded at compile', async () => {
    loads = 0;
    await predictWith({ weightsSource: source() });
    expect(loads).toBe(1);
    const trainable = await defaultRegistry.compile(spec, {
      backend: 'onnx-cpu',
      weightsSource: source(dir),
      training: { loss: 'categoricalCrossentropy', optimizer: { kind: 'adam' } },
    });
    trainable.dispose();
    expect(loads).toBe(2);
  });

  it('weights and weightsSource together are refused', async () => {
    await expect(defaultRegistry.compile(spec, { backend: 'onnx-cpu', weights, weightsSource: source(dir) })).rejects.toThrow(/not both/);
  });
});
