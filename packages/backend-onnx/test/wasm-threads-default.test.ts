// onnx-wasm in Node starts onnxruntime-web with the host's cores as its WASM threads, as onnx-cpu's intra-op threads
// (ORT's own default, half the cores, is one thread on 2 cores). Its own file: onnxruntime-web reads the count once
// per process, and wasm-threads.test.ts starts it with 1.
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { SpecBuilder } from '@convzoo/models';
import { BackendRegistry } from '@convzoo/backend';
import { registerOnnxBackends } from '../src/index.js';

describe('onnx-wasm default threads in Node', () => {
  it('are os.availableParallelism(), and a model runs with them', async () => {
    const registry = new BackendRegistry();
    registerOnnxBackends(registry);
    const b = new SpecBuilder('threads');
    const model = await registry.compile(b.build(b.relu(b.input([2, 2, 1]))), { backend: 'onnx-wasm' });
    const ort = (await import('onnxruntime-web')) as unknown as { env: { wasm: { numThreads?: number } } };
    expect(ort.env.wasm.numThreads).toBe(availableParallelism());
    expect([...(await model.predict({ shape: [1, 2, 2, 1], data: Float32Array.from([-1, 2, -3, 4]) }))[0]!.data]).toEqual([0, 2, 0, 4]);
    // Another compile without numThreads is not a different count: accepted.
    const again = await registry.compile(b.build(b.relu(b.input([2, 2, 1]))), { backend: 'onnx-wasm', engine: { numThreads: availableParallelism() } });
    again.dispose();
    model.dispose();
  });
});
