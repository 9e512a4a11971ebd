// LeNet's first block (conv 5x5 + 2x2/2 max pool) trains by window phases on the CPU EP (src/layers/phased-pool.ts):
// the speed claim in the README rests on it, so the graph onnx-cpu builds is held to that structure (SpaceToDepth into
// the conv, ReduceMax + ArgMax as the pool, no MaxPool Indices or MaxUnpool for it), and every graph where it must
// not apply (the other EPs, evaluation and prediction, the inference export, convs that break one of its conditions)
// is held to having none of it. Static checks of the built graphs: no session is run (the numbers are checked by the
// training parity tests on onnx-cpu).
import { initWeights, resolveLosses, resolveOptimizer } from '@convzoo/backend';
import { compileSpec, getModel, SpecBuilder, type ModelSpec } from '@convzoo/models';
import { describe, expect, it } from 'vitest';
import { toOnnx } from '../src/export/to-onnx.js';
import { decodeModel } from '../src/proto/onnx.js';
import { trainGraphOptions } from '../src/runtime/backends.js';
import { buildTrainGraph, planGraph } from '../src/train/train-graph.js';

type Ep = Parameters<typeof trainGraphOptions>[0];

function graphNodes(spec: ModelSpec, ep: Ep, mode: 'train' | 'eval' | 'predict' = 'train') {
  const compiled = compileSpec(spec);
  const optimizer = resolveOptimizer({ kind: 'adam' });
  const losses = resolveLosses(spec, { loss: 'categoricalCrossentropy', optimizer: { kind: 'adam' } });
  const bytes = buildTrainGraph(compiled, planGraph(compiled, optimizer), { mode, losses, optimizer, ...trainGraphOptions(ep) });
  return (decodeModel(bytes).graph?.node ?? []).map((n) => ({ op: n.op_type ?? '', name: n.name ?? '', inputs: n.input ?? [] }));
}

/** The phased pair's own nodes (by op) for a conv/pool pair, and the op types of every node of the graph. */
function phasedParts(nodes: ReturnType<typeof graphNodes>, conv: string, pool: string) {
  const named = (name: string) => nodes.find((n) => n.name === name)?.op;
  return {
    s2d: named(`${conv}/s2d`),
    max: named(`${pool}/max`),
    argmax: named(`${pool}/argmax`),
    dwBack: named(`${conv}/grad/dwback`),
    spaceToDepth: nodes.filter((n) => n.op === 'SpaceToDepth').map((n) => n.name),
  };
}

const lenet = () => getModel('lenet');

describe("LeNet's first block on onnx-cpu: trained by window phases", () => {
  it('the training graph computes conv2d on the space-to-depth input and max_pooling2d as ReduceMax + ArgMax over phases', () => {
    const nodes = graphNodes(lenet(), 'cpu');
    expect(phasedParts(nodes, 'conv2d', 'max_pooling2d')).toEqual({
      s2d: 'SpaceToDepth',
      max: 'ReduceMax',
      argmax: 'ArgMax',
      dwBack: 'Gather', // the phase kernel's gradient gathered back to the kernel's taps
      spaceToDepth: ['conv2d/s2d'],
    });
    // The pool has no MaxPool (hence no Indices loop) and no MaxUnpool; the second pool keeps both (its conv's input
    // needs a gradient, so conv2d_1 is not phased).
    const maxPools = nodes.filter((n) => n.op === 'MaxPool').map((n) => n.name);
    expect(
      maxPools.some((n) => n.startsWith('max_pooling2d/')),
      maxPools.join(', '),
    ).toBe(false);
    expect(
      maxPools.some((n) => n.startsWith('max_pooling2d_1/')),
      maxPools.join(', '),
    ).toBe(true);
    const unpools = nodes.filter((n) => n.op === 'MaxUnpool').map((n) => n.name);
    expect(unpools.length, 'MaxUnpool for the second pool only').toBe(1);
    expect(unpools[0]).toMatch(/^max_pooling2d_1\//);
    // The conv reads the phase kernel, not the kernel as stored.
    const conv = nodes.find((n) => n.name === 'conv2d/conv')!;
    expect(conv.op).toBe('Conv');
    expect(conv.inputs.slice(0, 2)).toEqual(['conv2d/s2d', 'conv2d/wphase']);
  });
});

describe('the phased block is absent where it must not apply', () => {
  it.each(['wasm', 'webgpu', 'cuda'] as const)('training graph on the %s EP (no MaxPool Indices there, or ScatterElements)', (ep) => {
    const nodes = graphNodes(lenet(), ep);
    expect(phasedParts(nodes, 'conv2d', 'max_pooling2d').spaceToDepth).toEqual([]);
    expect(nodes.filter((n) => n.op === 'ReduceMax' && n.name === 'max_pooling2d/max')).toEqual([]);
  });

  it.each(['eval', 'predict'] as const)('the %s graph on the CPU EP', (mode) => {
    const nodes = graphNodes(lenet(), 'cpu', mode);
    expect(nodes.filter((n) => n.op === 'SpaceToDepth' || n.op === 'ArgMax')).toEqual([]);
    expect(nodes.some((n) => n.op === 'MaxPool' && n.name.startsWith('max_pooling2d/'))).toBe(true);
  });

  it('the inference export', () => {
    const spec = lenet();
    const ops = (decodeModel(toOnnx(compileSpec(spec), initWeights(spec, 0))).graph?.node ?? []).map((n) => n.op_type);
    expect(ops).not.toContain('SpaceToDepth');
    expect(ops.filter((o) => o === 'MaxPool')).toHaveLength(2);
  });

  /** LeNet's first block with one thing changed; `input` its input shape. */
  function block(
    conv: Partial<Parameters<SpecBuilder['conv2d']>[1]>,
    pool: Partial<Parameters<SpecBuilder['maxPool2d']>[1]> = {},
    input: [number, number, number] = [28, 28, 1],
    extraReader = false,
  ): ModelSpec {
    const b = new SpecBuilder('block');
    const x = b.input(input);
    const c = b.conv2d(x, { filters: 20, kernelSize: 5, activation: 'relu', ...conv });
    let y = b.flatten(b.maxPool2d(c, { poolSize: 2, strides: 2, ...pool }));
    if (extraReader) y = b.concat([y, b.flatten(c)]);
    return b.build(b.dense(y, { units: 10, activation: 'softmax' }));
  }

  it('the unchanged block is phased (the control for the cases below)', () => {
    expect(phasedParts(graphNodes(block({}), 'cpu'), 'conv2d', 'max_pooling2d').spaceToDepth).toEqual(['conv2d/s2d']);
  });

  it.each<[string, () => ModelSpec]>([
    ["'same' padding", () => block({ padding: 'same' })],
    ['stride 2', () => block({ strides: 2 })],
    ['dilation 2', () => block({ dilation: 2 })],
    ['a sigmoid activation', () => block({ activation: 'sigmoid' })],
    ['an even kernel (4x4)', () => block({ kernelSize: 4 }, {}, [27, 27, 1])],
    ['an odd conv output (25x25 from 29x29)', () => block({}, {}, [29, 29, 1])],
    ['too many input channels for its filters (C*k*k > 2F)', () => block({ filters: 8 }, {}, [28, 28, 3])],
    ['a 3x3/2 pool', () => block({}, { poolSize: 3, strides: 2 })],
    ["a 'same'-padded pool", () => block({}, { padding: 'same' }, [27, 27, 1])],
    ['a second reader of the conv', () => block({}, {}, [28, 28, 1], true)],
  ])('a first block with %s', (_what, make) => {
    expect(phasedParts(graphNodes(make(), 'cpu'), 'conv2d', 'max_pooling2d').spaceToDepth).toEqual([]);
  });
});
