// Adding a layer kind is one entry per room: @convzoo/models's LAYER_DEFS, and here every ONNX emitter table. The
// compiler checks the tables' types; this checks the runtime objects too. Graph inputs ('input') are the exporter's
// own business, so the emitter rooms skip that kind only. The training graphs' forward and gradient tables are rooms too.
import { describe, expect, it } from 'vitest';
import { LAYER_KINDS, type LayerKind } from '@convzoo/models';
import { EMITTERS } from '../src/export/layers.js';
import { BACKWARD_EMITTERS, FORWARD_EMITTERS } from '../src/train/grads.js';

const ROOMS: Record<string, { table: Partial<Record<LayerKind, unknown>>; skips: LayerKind[] }> = {
  'export (inference) emitters': { table: EMITTERS, skips: ['input'] },
  'training forward emitters': { table: FORWARD_EMITTERS, skips: ['input'] },
  'training backward (gradient) emitters': { table: BACKWARD_EMITTERS, skips: ['input'] },
};

describe.each(Object.entries(ROOMS))('the ONNX kind table: %s', (_, { table, skips }) => {
  it('has an entry for every layer kind spec defines (but the skipped ones), and nothing else', () => {
    const expected = LAYER_KINDS.filter((k) => !skips.includes(k));
    for (const kind of expected) expect(typeof table[kind], `entry '${kind}'`).toBe('function');
    expect(Object.keys(table).sort()).toEqual([...expected].sort());
  });
});
