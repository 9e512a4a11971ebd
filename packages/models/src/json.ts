// Specs as JSON files. Reading checks the format marker and every field before validate() checks the graph, and
// each error names the file, the layer and the field, so a hand-edited spec fails where the mistake is.
import { describeValue, SpecError, type SpecRule } from './errors.js';
import { LAYER_FIELDS, LAYER_KINDS } from './schema.js';
import { validate } from './compiled.js';
import type { ModelSpec } from './types.js';

export const SPEC_FORMAT = 'convzoo.spec/1';

const TOP_LEVEL = ['format', 'name', 'inputs', 'outputs', 'layers', 'meta'];
const COMMON_LAYER_FIELDS = ['name', 'kind', 'inputs', 'trainable'];

/** Validates the spec, then writes it as indented JSON with short arrays on one line. */
export function specToJSON(spec: ModelSpec): string {
  validate(spec);
  // JSON.stringify breaks every array element onto its own line; a raw newline never occurs inside a string, so
  // `[` + newline starts a real array and `,` + newline separates real elements.
  const text = JSON.stringify(spec, null, 2).replace(/\[\n\s*([^[\]{}]*?)\n\s*\]/g, (_, body: string) => `[${body.split(/,\n\s*/).join(', ')}]`);
  return `${text}\n`;
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Parses and validates a spec; `source` (a file path) is named in every error. */
export function specFromJSON(text: string, source = '<json>'): ModelSpec {
  const fail = (rule: SpecRule, detail: string, layer: string | null = null, model?: string): never => {
    throw new SpecError(detail, { rule, layer, source, ...(model !== undefined ? { model } : {}) });
  };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return fail('format', `not valid JSON: ${(e as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return fail('format', 'a spec must be a JSON object');
  const raw = data as Record<string, unknown>;
  if (raw.format !== SPEC_FORMAT) {
    fail('format', `field 'format' must be '${SPEC_FORMAT}', got ${describeValue(raw.format)} (is this a convzoo spec?)`);
  }
  for (const key of Object.keys(raw)) if (!TOP_LEVEL.includes(key)) fail('field', `unknown field '${key}' (fields: ${TOP_LEVEL.join(', ')})`);
  if (typeof raw.name !== 'string' || raw.name === '') fail('field', "field 'name' must be a non-empty string");
  const model = raw.name as string;
  if (!isStringArray(raw.inputs)) fail('field', "field 'inputs' must be an array of layer names", null, model);
  if (!isStringArray(raw.outputs)) fail('field', "field 'outputs' must be an array of layer names", null, model);
  if (!Array.isArray(raw.layers)) fail('field', "field 'layers' must be an array", null, model);
  if (raw.meta !== undefined) {
    const meta = raw.meta;
    const ok =
      typeof meta === 'object' && meta !== null && !Array.isArray(meta) && Object.values(meta).every((v) => ['string', 'number', 'boolean'].includes(typeof v));
    if (!ok) fail('field', "field 'meta' must be an object of strings, numbers and booleans", null, model);
  }
  (raw.layers as unknown[]).forEach((layer, i) => {
    if (typeof layer !== 'object' || layer === null || Array.isArray(layer)) fail('field', `layers[${i}] must be an object`, null, model);
    const l = layer as Record<string, unknown>;
    const name = typeof l.name === 'string' ? l.name : null;
    if (name === null) fail('field', `layers[${i}] has no 'name' string`, null, model);
    if (!(LAYER_KINDS as unknown[]).includes(l.kind)) return; // validate() reports the unknown kind with the list
    const allowed = [...COMMON_LAYER_FIELDS, ...Object.keys(LAYER_FIELDS[l.kind as keyof typeof LAYER_FIELDS])];
    for (const key of Object.keys(l)) {
      if (!allowed.includes(key)) fail('field', `unknown field '${key}' for a ${String(l.kind)} layer (fields: ${allowed.join(', ')})`, name, model);
    }
  });
  const spec = raw as unknown as ModelSpec;
  try {
    validate(spec);
  } catch (e) {
    if (e instanceof SpecError) throw e.withSource(source);
    throw e;
  }
  return spec;
}
