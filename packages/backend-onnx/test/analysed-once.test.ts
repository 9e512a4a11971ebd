// One rule, one place: the registry analyses a spec once (compileSpec) and the ONNX adapter exports from that
// analysis (toOnnx takes the compiled spec), so an inference compile infers shapes exactly once, and predict and
// setWeights (which re-exports) never again. Counted by wrapping spec's own module, which every importer sees.
// The training graphs (src/train) take the compiled spec too: a trainable compile infers once, and steps never.
import { describe, expect, it, vi } from 'vitest';
import { counted } from '../../models/test/infer-shapes-counter.js';
import { BackendRegistry } from '@convzoo/backend';
import { registerOnnxBackends } from '../src/index.js';
import { lenet, seededWeights } from './helpers.js';

vi.mock('../../models/src/shapes.js', async (importOriginal) =>
  (await import('../../models/test/infer-shapes-counter.js')).countingShapes(await importOriginal()),
);

describe('onnx-cpu infers shapes once per compile', () => {
  it('compile (with the memory check), then none in predict or setWeights', async () => {
    const registry = new BackendRegistry();
    registerOnnxBackends(registry);
    await registry.probe('onnx-cpu'); // start-up runs its own one-layer smoke model; not part of the compile
    const spec = lenet();
    const weights = seededWeights(spec);
    const [model, n] = await counted(() => registry.compile(spec, { backend: 'onnx-cpu', weights, batchSize: 8, engine: { intraOpNumThreads: 1 } }));
    expect(n).toBe(1);
    const image = { shape: [1, 28, 28, 1], data: new Float32Array(784) };
    const [, inPredict] = await counted(() => model.predict(image));
    expect(inPredict).toBe(0);
    const [, inSet] = await counted(() => model.setWeights({ 'dense/bias': weights['dense/bias']! }));
    expect(inSet).toBe(0);
    model.dispose();
  });

  it('a trainable compile (train, eval and predict graphs) infers once, and trainStep/evaluateStep never', async () => {
    const registry = new BackendRegistry();
    registerOnnxBackends(registry);
    await registry.probe('onnx-cpu');
    const spec = lenet();
    const training = { loss: 'categoricalCrossentropy' as const, optimizer: { kind: 'adam' as const } };
    const weights = seededWeights(spec);
    const [model, n] = await counted(() => registry.compile(spec, { backend: 'onnx-cpu', weights, batchSize: 8, training }));
    expect(n).toBe(1);
    const x = { shape: [2, 28, 28, 1], data: new Float32Array(2 * 784) };
    const y = { shape: [2, 10], data: Float32Array.from({ length: 20 }, (_, i) => (i % 10 === 0 ? 1 : 0)) };
    const [, inSteps] = await counted(async () => {
      await model.trainStep(x, y);
      await model.evaluateStep(x, y);
      await model.predict(x);
    });
    expect(inSteps).toBe(0);
    model.dispose();
  });
});
