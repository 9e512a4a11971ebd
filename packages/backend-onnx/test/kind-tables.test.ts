// Adding a layer kind is one entry per room: @convzoo/models's KIND_FIELDS and LAYER_DEFS, and here the ONNX emitter tables: one
// forward table (the exported inference file and the training graphs share it) and the gradient table, both filled
// from the kind's family file (src/layers). The compiler checks the tables' types; this checks the runtime objects
// too. Graph inputs ('input') are the exporter's own business, so the emitter rooms skip that kind only.
import { describe, expect, it } from 'vitest';
import { LAYER_KINDS, type LayerKind } from '@convzoo/models';
import { BACKWARD_EMITTERS, FORWARD_EMITTERS } from '../src/layers/tables.js';

const ROOMS: Record<string, { table: Partial<Record<LayerKind, unknown>>; skips: LayerKind[] }> = {
  'forward emitters (export and training)': { table: FORWARD_EMITTERS, skips: ['input'] },
  'training backward (gradient) emitters': { table: BACKWARD_EMITTERS, skips: ['input'] },
};

describe.each(Object.entries(ROOMS))('the ONNX kind table: %s', (_, { table, skips }) => {
  it('has an entry for every layer kind spec defines (but the skipped ones), and nothing else', () => {
    const expected = LAYER_KINDS.filter((k) => !skips.includes(k));
    for (const kind of expected) expect(typeof table[kind], `entry '${kind}'`).toBe('function');
    expect(Object.keys(table).sort()).toEqual([...expected].sort());
  });
});
