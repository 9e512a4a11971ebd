// Receptive field per layer, per axis, in input pixels: how many input pixels one output cell sees (size), how far
// apart neighbouring output cells are (jump, the product of strides), and where the first cell's field is centred
// (start; input pixel i is centred at i). The tutorial's argument for stacked 3x3 convs is this arithmetic. Each kind's
// rule is its `receptiveField` entry in kinds.ts, built from the three moves in receptive-moves.ts.
import { kindOf } from './kinds.js';
import { throughWindow, type ReceptiveField } from './receptive-moves.js';
import type { FeatureShape, ModelSpec } from './types.js';

export { throughResize, throughWholeMap, throughWindow, type ReceptiveField } from './receptive-moves.js';

/** Receptive field of every layer; multi-input layers take the largest field among their inputs. */
export function receptiveFields(spec: ModelSpec, shapes: Map<string, FeatureShape>): Map<string, ReceptiveField> {
  const fields = new Map<string, ReceptiveField>();
  for (const layer of spec.layers) {
    if (layer.kind === 'input') {
      fields.set(layer.name, { size: [1, 1], jump: [1, 1], start: [0, 0] });
      continue;
    }
    const ins = layer.inputs.map((n) => fields.get(n)!);
    const widest = ins.reduce((a, b) => (b.size[0] * b.size[1] > a.size[0] * a.size[1] ? b : a));
    const def = kindOf(layer);
    const inShape = shapes.get(layer.inputs[0]!)!;
    const win = def.window?.(layer);
    fields.set(layer.name, def.receptiveField ? def.receptiveField(widest, layer, inShape) : win ? throughWindow(widest, inShape, win) : widest);
  }
  return fields;
}
