// Layer-by-layer comparison of two backends on the same spec, weights and inputs: the tool for "backend B gives a
// different answer than backend A". Every layer's output is made a graph output (extra graph outputs on ONNX
// Runtime, per-layer tensors on tfjs), both backends run once, and each layer is measured with the conformance
// metric. The first layer over tolerance, in topological order, is where the backends part ways.
import type { ModelSpec } from '@convzoo/models';
import type { ModelInput, Tensor, WeightMap } from './contract.js';
import { defaultRegistry, type BackendRegistry } from './registry.js';

export interface LayerDifference {
  layer: string;
  kind: string;
  shape: number[];
  /** max |a - b| */
  maxAbs: number;
  /** max |a - b| / max(1, max |a|): the conformance suite's parity metric, `a` the first backend. */
  maxRel: number;
}

export interface LayerComparison {
  backends: [string, string];
  tolerance: number;
  layers: LayerDifference[];
  /** The first layer (topological order) whose maxRel exceeds the tolerance, or undefined when none does. */
  firstOver?: LayerDifference;
}

export interface CompareLayersOptions {
  weights: WeightMap;
  inputs: ModelInput;
  /** Default 1e-4, the conformance suite's bound. */
  tolerance?: number;
  registry?: BackendRegistry;
}

/** The spec with every non-input layer as an output (in layer order), so a backend returns all activations. */
export function everyLayerAsOutput(spec: ModelSpec): ModelSpec {
  return { ...spec, outputs: spec.layers.filter((l) => l.kind !== 'input').map((l) => l.name) };
}

function difference(a: Tensor, b: Tensor): { maxAbs: number; maxRel: number } {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) return { maxAbs: Infinity, maxRel: Infinity };
  let maxAbs = 0;
  let scale = 1;
  for (let i = 0; i < a.data.length; i++) {
    const d = Math.abs(a.data[i]! - b.data[i]!);
    maxAbs = Number.isNaN(d) ? Infinity : Math.max(maxAbs, d);
    scale = Math.max(scale, Math.abs(a.data[i]!));
  }
  return { maxAbs, maxRel: maxAbs / scale };
}

/** Runs `spec` on both backends with every layer as an output and measures each layer. */
export async function compareLayers(spec: ModelSpec, backends: [string, string], options: CompareLayersOptions): Promise<LayerComparison> {
  const registry = options.registry ?? defaultRegistry;
  const tolerance = options.tolerance ?? 1e-4;
  const probed = everyLayerAsOutput(spec);
  const run = async (backend: string) => {
    const model = await registry.compile(probed, { backend, weights: options.weights, strictWeights: true });
    try {
      return await model.predict(options.inputs);
    } finally {
      model.dispose();
    }
  };
  const a = await run(backends[0]);
  const b = await run(backends[1]);
  const kinds = new Map(spec.layers.map((l) => [l.name, l.kind]));
  const layers = probed.outputs.map((layer, i) => ({ layer, kind: kinds.get(layer)!, shape: a[i]!.shape, ...difference(a[i]!, b[i]!) }));
  const firstOver = layers.find((l) => !(l.maxRel <= tolerance));
  return { backends, tolerance, layers, ...(firstOver ? { firstOver } : {}) };
}

/** The comparison as a text table, one row per layer, then the verdict. */
export function formatLayerComparison(c: LayerComparison): string {
  const rows = c.layers.map((l) => [
    l.layer,
    l.kind,
    `[${l.shape.join(', ')}]`,
    l.maxAbs.toExponential(2),
    l.maxRel.toExponential(2),
    l === c.firstOver ? '<- first over' : l.maxRel > c.tolerance ? 'over' : '',
  ]);
  const header = ['layer', 'kind', 'shape', 'max abs diff', 'max rel diff', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const verdict = c.firstOver
    ? `first layer over tolerance ${c.tolerance}: '${c.firstOver.layer}' (${c.firstOver.kind}), max rel diff ${c.firstOver.maxRel.toExponential(2)}`
    : `every layer within tolerance ${c.tolerance} (${c.backends[0]} vs ${c.backends[1]})`;
  return [line(header), ...rows.map(line), '', verdict].join('\n');
}
