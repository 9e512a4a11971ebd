// The analysed spec as a tfjs program: walks its layers in their (topological) order, each with its analysis (compileSpec).
// Call inside tf.tidy (or variableGrads).
import type * as tfc from '@tensorflow/tfjs-core';
import { streamSeed } from '@convzoo/backend';
import type { CompiledSpec } from '@convzoo/models';
import type { TF } from './engine.js';
import { applyLayer, type LayerContext } from './layers.js';

export interface ForwardOptions {
  training: boolean;
  /** Model seed and step number: dropout masks differ per step and layer, and repeat across runs. */
  seed: number;
  step: number;
}

export interface ForwardResult {
  outputs: tfc.Tensor[];
  /** New values of BatchNorm moving statistics (training only), by parameter name. */
  updates: Map<string, tfc.Tensor>;
}

export function forward(tf: TF, compiled: CompiledSpec, params: Map<string, tfc.Tensor>, inputs: tfc.Tensor[], o: ForwardOptions): ForwardResult {
  const updates = new Map<string, tfc.Tensor>();
  const ctx: LayerContext = {
    tf,
    training: o.training,
    param(name) {
      const p = params.get(name);
      if (!p) throw new Error(`internal: parameter '${name}' of model '${spec.name}' was not created`);
      return p;
    },
    seed: (layer) => streamSeed(streamSeed(o.seed, layer), `step ${o.step}`),
    update: (name, value) => updates.set(name, value),
  };
  const { spec } = compiled;
  const values = new Map<string, tfc.Tensor>();
  spec.inputs.forEach((name, i) => values.set(name, inputs[i]!));
  for (const c of compiled.layers) {
    const { layer } = c;
    if (layer.kind === 'input') continue;
    values.set(
      layer.name,
      applyLayer(
        ctx,
        c,
        layer.inputs.map((n) => values.get(n)!),
      ),
    );
  }
  return { outputs: spec.outputs.map((n) => values.get(n)!), updates };
}
