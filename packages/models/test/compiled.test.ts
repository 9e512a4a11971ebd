// compileSpec: validation and analysis with ONE shape inference; everything that accepts a compiled spec reuses it.
import { describe, expect, it, vi } from 'vitest';
import { SpecBuilder, analyze, compileSpec, getModel, memoryPlan, summary, validate } from '../src/index.js';

const calls = vi.hoisted(() => ({ inferShapes: 0 }));
vi.mock('../src/shapes.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../src/shapes.js')>();
  return { ...m, inferShapes: (...args: Parameters<typeof m.inferShapes>) => (calls.inferShapes++, m.inferShapes(...args)) };
});

const count = (f: () => unknown): number => {
  calls.inferShapes = 0;
  f();
  return calls.inferShapes;
};

describe('compileSpec', () => {
  const spec = getModel('resnet50');

  it('validate() and compileSpec() infer shapes once; analyze and memoryPlan of a compiled spec never', () => {
    expect(count(() => validate(spec))).toBe(1);
    let compiled = compileSpec(spec);
    expect(count(() => (compiled = compileSpec(spec)))).toBe(1);
    expect(count(() => analyze(compiled))).toBe(0);
    expect(count(() => memoryPlan(compiled, { batchSize: 4, training: true }))).toBe(0);
    expect(count(() => summary(spec))).toBe(1);
  });

  it('carries shapes, per-layer parameters and resolved window pads', () => {
    const c = compileSpec(spec);
    expect(c.layers.map((l) => l.layer.name)).toEqual(spec.layers.map((l) => l.name));
    expect(c.params.reduce((a, p) => a + p.shape.reduce((x, y) => x * y, 1), 0)).toBe(25_636_712);
    expect(c.inputShapes).toEqual([[224, 224, 3]]);
    expect(c.outputShapes).toEqual([[1000]]);
    // conv1 is 7x7/2 'valid' after an explicit 3-pixel zero pad; the max pool is 3x3/2 'valid' after a 1-pixel pad.
    const conv = c.layers.find((l) => l.layer.kind === 'conv2d')!;
    expect(conv.pads).toEqual({ top: 0, bottom: 0, left: 0, right: 0 });
    expect(conv.params.map((p) => p.param)).toEqual(['kernel', 'bias']);
    // TF 'same' on an even size with stride 2 puts the odd cell after.
    const b = new SpecBuilder('same');
    const x = b.input([8, 7, 1]);
    const same = compileSpec(b.build(b.conv2d(x, { name: 'c', filters: 1, kernelSize: 3, strides: 2, padding: 'same' })));
    expect(same.layer('c').pads).toEqual({ top: 0, bottom: 1, left: 1, right: 1 });
    expect(c.layer('avg_pool').inputShapes).toEqual([[7, 7, 2048]]);
  });
});
