// Two rules for the graphs the WebGPU backends run, where onnxruntime-web fails silently, checked statically on every
// registered architecture's inference export and training graph (as the WebGPU backends build it: no MaxPool
// Indices) and on every layer case of the training conformance:
// - No node binds more than WEBGPU_MAX_BINDINGS tensors (inputs + outputs): Chromium grants 8 storage buffers per
//   shader stage by default, and past that onnxruntime-web's kernel computes nothing.
// - No boolean tensors: onnxruntime-web runs And/Or/Not on the CPU EP, and the bool tensors that crossed over, or that
//   Equal wrote, came back wrong in Where and Cast (AlexNet's max-pool gradients were garbage in Chromium while
//   onnx-wasm in the same page was exact). Masks are 0/1 floats instead.
import { initWeights, resolveLosses, resolveOptimizer } from '@convzoo/backend';
import { architectureCases, trainingParityCases } from '@convzoo/backend/conformance';
import { compileSpec, type ModelSpec } from '@convzoo/models';
import { describe, expect, it } from 'vitest';
import { toOnnx } from '../src/export/to-onnx.js';
import { decodeModel } from '../src/proto/onnx.js';
import { WEBGPU_MAX_BINDINGS } from '../src/layers/pool.js';
import { buildTrainGraph, planGraph } from '../src/train/train-graph.js';
import { trainGraphOptions } from '../src/runtime/backends.js';

/** Ops that make or read a boolean tensor (Cast only when it casts to bool, 9). */
const BOOLEAN_OPS = new Set(['Equal', 'And', 'Or', 'Not', 'Xor', 'Greater', 'Less', 'GreaterOrEqual', 'LessOrEqual', 'IsNaN', 'IsInf', 'Where']);

function booleanNodes(bytes: Uint8Array): string[] {
  return (decodeModel(bytes).graph?.node ?? [])
    .filter((n) => BOOLEAN_OPS.has(n.op_type ?? '') || (n.op_type === 'Cast' && n.attribute?.some((a) => a.name === 'to' && Number(a.i) === 9)))
    .map((n) => `${n.op_type} ${n.name}`);
}

function widest(bytes: Uint8Array): { node: string; bindings: number } {
  const nodes = decodeModel(bytes).graph?.node ?? [];
  return nodes
    .map((n) => ({ node: `${n.op_type} ${n.name}`, bindings: (n.input ?? []).filter(Boolean).length + (n.output ?? []).length }))
    .reduce((a, b) => (b.bindings > a.bindings ? b : a), { node: '', bindings: 0 });
}

const specs: [string, () => ModelSpec][] = [
  ...architectureCases().map((c) => [c.name, () => (typeof c.spec === 'function' ? c.spec() : c.spec)] as [string, () => ModelSpec]),
  ...trainingParityCases().map((c) => [c.name, () => (typeof c.spec === 'function' ? c.spec() : c.spec)] as [string, () => ModelSpec]),
];

describe(`WebGPU graphs: at most ${WEBGPU_MAX_BINDINGS} tensors per node, no booleans`, () => {
  it.each(specs)('%s', (_name, make) => {
    const spec = make();
    const compiled = compileSpec(spec);
    const training = { loss: spec.outputs.map(() => 'categoricalCrossentropy' as const), optimizer: { kind: 'adam' as const } };
    const optimizer = resolveOptimizer(training.optimizer);
    const train = buildTrainGraph(compiled, planGraph(compiled, optimizer), {
      mode: 'train',
      losses: resolveLosses(spec, training),
      optimizer,
      ...trainGraphOptions('webgpu'),
    });
    expect(widest(train).bindings, `training graph: ${widest(train).node}`).toBeLessThanOrEqual(WEBGPU_MAX_BINDINGS);
    expect(booleanNodes(train), 'training graph').toEqual([]);
    const inference = toOnnx(compiled, initWeights(spec, 0));
    expect(widest(inference).bindings, `inference graph: ${widest(inference).node}`).toBeLessThanOrEqual(WEBGPU_MAX_BINDINGS);
  });
});
