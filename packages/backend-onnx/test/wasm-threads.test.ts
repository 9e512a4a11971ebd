// onnxruntime-web reads env.wasm.numThreads once, when its first session starts (its own file: one fresh runtime per
// vitest process). A model that asks for another thread count later is refused by name, never run with the first
// count in silence; the same count again is fine.
import { describe, expect, it } from 'vitest';
import { SpecBuilder } from '@convzoo/models';
import { BackendRegistry } from '@convzoo/backend';
import { registerOnnxBackends } from '../src/index.js';

const registry = new BackendRegistry();
registerOnnxBackends(registry);
const b = new SpecBuilder('threads');
const spec = b.build(b.relu(b.input([2, 2, 1])));
const x = { shape: [1, 2, 2, 1], data: Float32Array.from([-1, 2, -3, 4]) };

describe('onnx-wasm engine option numThreads', () => {
  it('applies at the first model; a different count later is refused, naming both counts', async () => {
    const first = await registry.compile(spec, { backend: 'onnx-wasm', engine: { numThreads: 1 } });
    expect([...(await first.predict(x))[0]!.data]).toEqual([0, 2, 0, 4]);
    await expect(registry.compile(spec, { backend: 'onnx-wasm', engine: { numThreads: 2 } })).rejects.toThrow(
      /onnx-wasm: engine option numThreads=2 cannot apply: onnxruntime-web already started with 1 thread/,
    );
    const again = await registry.compile(spec, { backend: 'onnx-wasm', engine: { numThreads: 1 } });
    expect([...(await again.predict(x))[0]!.data]).toEqual([0, 2, 0, 4]);
    first.dispose();
    again.dispose();
  });
});
