// Field types at run time: how each is checked and described. Specs written in TypeScript are checked by the compiler;
// specs read from JSON (or built with casts) are checked against the kinds' fields (KIND_FIELDS in kinds.ts, the one
// declaration the layer types are derived from), so a missing `strides` is reported by name instead of surfacing as
// NaN shapes three layers later.
import { ACTIVATIONS, KIND_FIELDS, RESIZE_METHODS } from './fields.js';
import type { FieldType, LayerKind } from './types.js';

export type { FieldType } from './types.js';

/** Every layer kind, with its required fields (KIND_FIELDS, typed for lookups by a kind name). */
export const LAYER_FIELDS: Record<LayerKind, Readonly<Record<string, FieldType>>> = KIND_FIELDS;

export { ACTIVATIONS, LAYER_KINDS, RESIZE_METHODS } from './fields.js';

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isBox = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && ['top', 'bottom', 'left', 'right'].every((k) => isInt((v as Record<string, unknown>)[k]));

/** Whether `value` has the given field type. */
export function fieldMatches(type: FieldType, value: unknown): boolean {
  switch (type) {
    case 'int':
      return isInt(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'pair':
      return Array.isArray(value) && value.length === 2 && value.every(isInt);
    case 'shape3':
      return Array.isArray(value) && value.length === 3 && value.every(isInt);
    case 'padding':
      return value === 'valid' || value === 'same' || isBox(value);
    case 'box':
      return isBox(value);
    case 'activation':
      return (ACTIVATIONS as readonly unknown[]).includes(value);
    case 'method':
      return (RESIZE_METHODS as readonly unknown[]).includes(value);
    case 'axis':
      return value === -1;
  }
}

/** How to describe a field type in an error. */
export const FIELD_TYPE_TEXT: Record<FieldType, string> = {
  int: 'an integer',
  number: 'a finite number',
  boolean: 'true or false',
  pair: 'a pair of integers [h, w]',
  shape3: 'a shape of three integers [h, w, c]',
  padding: "'valid', 'same' or { top, bottom, left, right }",
  box: 'an object { top, bottom, left, right } of integers',
  activation: `one of ${ACTIVATIONS.join(', ')}`,
  method: "'bilinear' or 'nearest'",
  axis: '-1 (channels)',
};
