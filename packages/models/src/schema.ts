// Field types, and the fields each layer kind must carry (declared in kinds.ts). Specs written in TypeScript are checked by the compiler;
// specs read from JSON (or built with casts) are checked against this table, so a missing `strides` is reported
// by name instead of surfacing as NaN shapes three layers later.
import { LAYER_DEFS } from './kinds.js';
import type { LayerKind } from './types.js';

export type FieldType =
  | 'int' // integer (sign rules are checked by validate)
  | 'number'
  | 'boolean'
  | 'pair' // [int, int]
  | 'shape3' // [int, int, int]
  | 'padding' // 'valid' | 'same' | box
  | 'box' // { top, bottom, left, right } ints
  | 'activation'
  | 'method'
  | 'axis';

/** Every activation a layer may name; ActivationName is derived from this list. */
export const ACTIVATIONS = ['linear', 'relu', 'softmax', 'sigmoid', 'tanh'] as const;

/** Every layer kind, with its required fields besides name/kind/inputs/trainable (from the kind table). */
export const LAYER_FIELDS = Object.fromEntries(Object.entries(LAYER_DEFS).map(([kind, def]) => [kind, def.fields])) as Record<
  LayerKind,
  Record<string, FieldType>
>;

export const LAYER_KINDS = Object.keys(LAYER_FIELDS) as LayerKind[];

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
      return value === 'bilinear' || value === 'nearest';
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
