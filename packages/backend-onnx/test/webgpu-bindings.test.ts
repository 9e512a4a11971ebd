// No node of a graph the WebGPU backends run binds more than WEBGPU_MAX_BINDINGS tensors (inputs + outputs): Chromium
// grants 8 storage buffers per shader stage by default, and past that onnxruntime-web's kernel silently computes
// nothing. Checked statically on every registered architecture's inference export and training graph (as the WebGPU
// backends build it: no MaxPool Indices) and on every layer case of the training conformance.
import { initWeights, resolveLosses, resolveOptimizer } from '@convzoo/backend';
import { architectureCases, trainingParityCases } from '@convzoo/backend/conformance';
import { compileSpec, type ModelSpec } from '@convzoo/spec';
import { describe, expect, it } from 'vitest';
import { toOnnx } from '../src/export/to-onnx.js';
import { decodeModel } from '../src/proto/onnx.js';
import { WEBGPU_MAX_BINDINGS } from '../src/train/grads.js';
import { buildTrainGraph, planGraph } from '../src/train/train-graph.js';

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

describe(`WebGPU graphs bind at most ${WEBGPU_MAX_BINDINGS} tensors per node`, () => {
  it.each(specs)('%s', (_name, make) => {
    const spec = make();
    const compiled = compileSpec(spec);
    const training = { loss: spec.outputs.map(() => 'categoricalCrossentropy' as const), optimizer: { kind: 'adam' as const } };
    const optimizer = resolveOptimizer(training.optimizer);
    const train = buildTrainGraph(compiled, planGraph(compiled, optimizer), {
      mode: 'train',
      losses: resolveLosses(spec, training),
      optimizer,
      poolIndices: false,
    });
    expect(widest(train).bindings, `training graph: ${widest(train).node}`).toBeLessThanOrEqual(WEBGPU_MAX_BINDINGS);
    const inference = toOnnx(compiled, initWeights(spec, 0));
    expect(widest(inference).bindings, `inference graph: ${widest(inference).node}`).toBeLessThanOrEqual(WEBGPU_MAX_BINDINGS);
  });
});
