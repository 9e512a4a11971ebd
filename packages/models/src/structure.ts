// Structural rules: names, kinds, fields, wiring and the model's inputs/outputs. Shape rules live in shapes.ts,
// which runs these first so that it can walk the graph without guarding every lookup.
import { describeValue, SpecError, type SpecRule } from './errors.js';
import { FIELD_TYPE_TEXT, LAYER_FIELDS, LAYER_KINDS, fieldMatches } from './schema.js';
import { kindOf } from './kinds.js';
import type { Layer, ModelSpec } from './types.js';

/** Whether following `inputs` from `start` leads back to `start`. */
function onCycle(start: string, byName: Map<string, Layer>): boolean {
  const seen = new Set<string>();
  const stack = [...(byName.get(start)?.inputs ?? [])];
  while (stack.length) {
    const n = stack.pop()!;
    if (n === start) return true;
    if (seen.has(n)) continue;
    seen.add(n);
    stack.push(...(byName.get(n)?.inputs ?? []));
  }
  return false;
}

export function checkStructure(spec: ModelSpec): void {
  const fail = (rule: SpecRule, layer: string | null, detail: string): never => {
    throw new SpecError(detail, { rule, layer, model: spec.name });
  };
  if (!Array.isArray(spec.layers) || spec.layers.length === 0) fail('field', null, "'layers' must be a non-empty array");

  const byName = new Map<string, Layer>();
  spec.layers.forEach((layer, i) => {
    const raw = layer as unknown as Record<string, unknown>;
    if (typeof raw !== 'object' || raw === null) fail('field', null, `layers[${i}] is not an object`);
    if (typeof raw.name !== 'string' || raw.name === '') fail('field', null, `layers[${i}] has no 'name' string`);
    const name = layer.name;
    if (byName.has(name)) fail('duplicate-name', name, `the name '${name}' is used by layers ${spec.layers.findIndex((l) => l.name === name)} and ${i}`);
    byName.set(name, layer);
    if (!(LAYER_KINDS as unknown[]).includes(raw.kind)) {
      fail('unknown-kind', name, `unknown kind ${describeValue(raw.kind)}; known kinds: ${LAYER_KINDS.join(', ')}`);
    }
    if (!Array.isArray(raw.inputs) || !raw.inputs.every((x) => typeof x === 'string')) {
      fail('field', name, "field 'inputs' must be an array of layer names");
    }
    if (raw.trainable !== undefined && typeof raw.trainable !== 'boolean') fail('field', name, "field 'trainable' must be true or false");
    for (const [field, type] of Object.entries(LAYER_FIELDS[layer.kind])) {
      if (!fieldMatches(type, raw[field])) {
        fail('field', name, `field '${field}' of a ${layer.kind} layer must be ${FIELD_TYPE_TEXT[type]}, got ${describeValue(raw[field])}`);
      }
    }
  });

  const position = new Map(spec.layers.map((l, i) => [l.name, i]));
  spec.layers.forEach((layer, i) => {
    for (const src of layer.inputs) {
      const at = position.get(src);
      if (at === undefined) fail('unknown-input', layer.name, `input '${src}' is not a layer of this model`);
      else if (at >= i) {
        if (onCycle(layer.name, byName)) fail('cycle', layer.name, `input '${src}' depends on '${layer.name}' itself (a cycle)`);
        fail('topological-order', layer.name, `input '${src}' comes after it (layers must be in topological order)`);
      }
    }
    const n = layer.inputs.length;
    const arity = kindOf(layer).arity;
    if (arity === 'none' && n !== 0) fail('arity', layer.name, `an input layer takes no inputs, got ${n}`);
    if (arity === 'many' && n < 2) fail('arity', layer.name, `${layer.kind} needs at least 2 inputs, got ${n}`);
    if (arity === 'one' && n !== 1) fail('arity', layer.name, `${layer.kind} takes exactly 1 input, got ${n}`);
  });

  if (!Array.isArray(spec.inputs) || spec.inputs.length === 0) fail('model-inputs', null, "'inputs' must list at least one input layer");
  for (const name of spec.inputs) {
    const layer = byName.get(name);
    if (!layer) fail('model-inputs', name, `model input '${name}' is not a layer of this model`);
    else if (layer.kind !== 'input') fail('model-inputs', name, `model input '${name}' is a ${layer.kind} layer, not an input layer`);
  }
  for (const layer of spec.layers) {
    if (layer.kind === 'input' && !spec.inputs.includes(layer.name)) {
      fail('model-inputs', layer.name, `input layer '${layer.name}' is missing from the model's 'inputs'`);
    }
  }
  if (!Array.isArray(spec.outputs) || spec.outputs.length === 0) fail('model-outputs', null, "'outputs' must name at least one layer");
  spec.outputs.forEach((name, i) => {
    if (!byName.has(name)) fail('model-outputs', name, `model output '${name}' is not a layer of this model`);
    if (spec.outputs.indexOf(name) !== i) fail('model-outputs', name, `model output '${name}' is listed twice`);
  });
}
