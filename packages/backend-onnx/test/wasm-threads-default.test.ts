// onnx-wasm in Node starts onnxruntime-web with the host's cores as its WASM threads, as onnx-cpu's intra-op threads
// (ORT's own default, half the cores, is one thread on 2 cores). Its own file: onnxruntime-web reads the count once
// per process, and wasm-threads.test.ts starts it with 1.
import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SpecBuilder } from '@convzoo/models';
import { BackendRegistry } from '@convzoo/backend';
import { registerOnnxBackends } from '../src/index.js';
import { trainGraphOptions, wasmThreads } from '../src/runtime/backends.js';

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

  afterEach(() => vi.unstubAllGlobals());

  it('choose the WASM training graphs: dW unfolded with more than one thread, tap by tap on one', async () => {
    const ort = (await import('onnxruntime-web')) as unknown as { env: { wasm: { numThreads?: number } } };
    expect(trainGraphOptions('wasm', wasmThreads(ort)).dwUnfold).toBe(availableParallelism() > 1);
    expect(trainGraphOptions('wasm', 1).dwUnfold).toBe(false);
    expect(trainGraphOptions('cpu', 4).dwUnfold).toBe(false);
    // A browser that leaves numThreads to ORT: half the cores, at most 4, on a cross-origin isolated page, else 1.
    const unset = { env: { wasm: { numThreads: 0 } } };
    expect(wasmThreads(unset)).toBe(1);
    vi.stubGlobal('crossOriginIsolated', true);
    vi.stubGlobal('navigator', { hardwareConcurrency: 6 });
    expect(wasmThreads(unset)).toBe(3);
    vi.stubGlobal('navigator', { hardwareConcurrency: 16 });
    expect(wasmThreads(unset)).toBe(4);
  });
});
