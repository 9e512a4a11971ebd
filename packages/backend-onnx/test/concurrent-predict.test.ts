// Concurrent predict calls on ONE model (issue 12), on the ONNX Runtime backends that run here without a GPU:
// onnx-cpu (onnxruntime-node) and onnx-wasm (onnxruntime-web). Each call's outputs, every output of a multi-output
// graph, must equal what the same call returns when the calls run one after another, batch sizes varying.
import { BackendRegistry, type Tensor } from '@convzoo/backend';
import { describe, expect, it } from 'vitest';
import { registerOnnxBackends } from '../src/index.js';
import { allKinds, seededWeights } from './helpers.js';

const registry = new BackendRegistry();
registerOnnxBackends(registry);

const input = (shape: number[], seed: number): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.61 + seed * 1.7)) };
};

describe.each(['onnx-cpu', 'onnx-wasm'])('concurrent predict on one %s model', (backend) => {
  it('gives every call the outputs it gets alone', async () => {
    const spec = allKinds();
    const model = await registry.compile(spec, { backend, weights: seededWeights(spec) });
    try {
      const inShape = (spec.layers[0] as { shape: number[] }).shape;
      const xs = [1, 3, 2, 4, 1, 2].map((n, i) => input([n, ...inShape], i));
      const sequential: Tensor[][] = [];
      for (const x of xs) sequential.push(await model.predict(x));
      const concurrent = await Promise.all(xs.map((x) => model.predict(x)));
      expect(concurrent.map((o) => o.length)).toEqual(sequential.map((o) => o.length));
      expect(concurrent).toEqual(sequential);
    } finally {
      model.dispose();
    }
  });
});
