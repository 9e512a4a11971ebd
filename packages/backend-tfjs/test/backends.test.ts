// The tfjs factories: probes that say why a backend cannot start, explicit requests never swapped, and models of
// different tfjs backends used concurrently in one process (one global tfjs engine).
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BackendError, BackendRegistry, compile, type Tensor } from '@convzoo/backend';
import { SpecBuilder } from '@convzoo/models';
import { registerTfjsBackends, tfjsFactories } from '../src/index.js';
import { oneHot, randomTensor, trainable } from './helpers.js';

beforeAll(() => registerTfjsBackends());

function small() {
  const b = new SpecBuilder('small');
  let x = b.input([8, 8, 3]);
  x = b.batchNorm(b.conv2d(x, { filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }));
  x = b.flatten(b.maxPool2d(x, { poolSize: 2 }));
  return b.build(b.dense(x, { units: 3, activation: 'softmax' }));
}

describe('probes', () => {
  it('registers five backends; the ones that cannot run in Node say why', async () => {
    const registry = new BackendRegistry();
    registerTfjsBackends({ registry });
    const entries = await registry.doctor();
    expect(entries.map((e) => [e.name, e.available])).toEqual([
      ['tfjs-node', false],
      ['tfjs-webgpu', false],
      ['tfjs-webgl', false],
      ['tfjs-wasm', true],
      ['tfjs-cpu', true],
    ]);
    const reason = (name: string) => entries.find((e) => e.name === name)!.reason!;
    expect(reason('tfjs-node')).toContain('package @tensorflow/tfjs-node is not installed (npm i @tensorflow/tfjs-node)');
    expect(reason('tfjs-webgpu')).toContain('navigator.gpu is undefined');
    expect(reason('tfjs-webgl')).toContain('tfjs-webgl runs in browsers');
    expect(entries.every((e) => e.canTrain)).toBe(true);
  });

  it('an explicit request for an unavailable tfjs backend throws its reason and compiles nothing elsewhere', async () => {
    const before = tf.memory().numTensors;
    const err = (await compile(small(), { backend: 'tfjs-node' }).catch((e: unknown) => e)) as BackendError;
    expect(err).toBeInstanceOf(BackendError);
    expect(err.message).toMatch(/^backend 'tfjs-node' cannot start here:\n {2}\[tfjs-node\] package @tensorflow\/tfjs-node is not installed/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('custom loaders replace the default import (how browser bundles load webgl/webgpu)', async () => {
    const registry = new BackendRegistry();
    let called = 0;
    const fakeModule = async () => {
      called++;
      return {};
    };
    registerTfjsBackends({ registry, only: ['tfjs-node'], loaders: { 'tfjs-node': fakeModule } });
    expect(registry.list().map((b) => b.name)).toEqual(['tfjs-node']);
    const probe = await registry.probe('tfjs-node');
    expect(called).toBe(1);
    expect(probe).toEqual({
      available: false,
      reason: "@tensorflow/tfjs-node loaded but registered no 'tensorflow' backend (is it built for the same @tensorflow/tfjs-core 4.22.0?)",
    });
  });
});

describe('models of different tfjs backends in one process', () => {
  it('concurrent predictions and training steps on tfjs-cpu and tfjs-wasm give the results each gives alone', async () => {
    const spec = small();
    const x = randomTensor([2, 8, 8, 3], 5);
    const y = oneHot([1, 2], 3);
    const training = { loss: 'categoricalCrossentropy' as const, optimizer: { kind: 'adam' as const } };
    const run = async (backend: string) => {
      const m = await trainable(spec, { backend, seed: 4, training });
      const out: Tensor[] = [];
      for (let i = 0; i < 3; i++) {
        await m.trainStep(x, y);
        out.push(...(await m.predict(x)));
      }
      m.dispose();
      return out;
    };
    const aloneCpu = await run('tfjs-cpu');
    const aloneWasm = await run('tfjs-wasm');
    const [cpu, wasm] = await Promise.all([run('tfjs-cpu'), run('tfjs-wasm')]);
    expect(cpu).toEqual(aloneCpu);
    expect(wasm).toEqual(aloneWasm);
  });

  it('dispose() while a call is pending frees the model after that call', async () => {
    const before = tf.memory().numTensors;
    const m = await compile(small(), { backend: 'tfjs-wasm' });
    const pending = m.predict(randomTensor([2, 8, 8, 3], 1));
    m.dispose();
    expect((await pending)[0]!.shape).toEqual([2, 3]);
    await tfjsFactories({ only: ['tfjs-wasm'] })[0]!.memory!();
    expect(tf.memory().numTensors).toBe(before);
    await expect(m.predict(randomTensor([2, 8, 8, 3], 1))).rejects.toThrow("model 'small' on tfjs-wasm was disposed");
  });
});
