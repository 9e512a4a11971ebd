// The same exported graph on every ONNX Runtime engine here: onnx-wasm and onnx-webgpu (SwiftShader) must match
// onnx-cpu on every layer kind. (onnx-cpu itself was checked against Keras: scripts/keras-check.py.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendRegistry, type Model, type Tensor } from '@convzoo/backend';
import { registerOnnxBackends } from '../src/index.js';
import { allKinds, relErr, seededWeights } from './helpers.js';

const registry = new BackendRegistry();
registerOnnxBackends(registry);

describe.each(['onnx-wasm', 'onnx-webgpu'])('%s runs every layer kind like onnx-cpu', (backend) => {
  const spec = allKinds();
  const weights = seededWeights(spec, 11);
  const x = { shape: [2, 10, 9, 6], data: Float32Array.from({ length: 2 * 540 }, (_, i) => Math.sin(i * 0.7) * 2) };
  let want: Tensor[];
  let model: Model;
  beforeAll(async () => {
    const cpu = await registry.compile(spec, { backend: 'onnx-cpu', weights });
    want = await cpu.predict(x);
    cpu.dispose();
    model = await registry.compile(spec, { backend, weights });
  });
  afterAll(() => model.dispose());

  it('matches within 1e-4 relative on all four outputs', async () => {
    const got = await model.predict(x);
    expect(got.map((t) => t.shape)).toEqual(want.map((t) => t.shape));
    got.forEach((t, i) => expect(relErr(t.data, want[i]!.data), spec.outputs[i]).toBeLessThan(1e-4));
  });
});
