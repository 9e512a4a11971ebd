// Adding a layer kind is one entry per room: @convzoo/models's KIND_FIELDS and LAYER_DEFS, the adapters' tables, and
// here the Keras export table (an entry may refuse, as LRN's does: Keras has no class for it, and the error says so).
import { describe, expect, it } from 'vitest';
import { LAYER_KINDS } from '@convzoo/models';
import { KERAS_LAYERS } from '../src/keras/config.js';

describe('the Keras export kind table', () => {
  it("has an entry for every layer kind but 'input' (the model's Input, written by the config itself)", () => {
    const expected = LAYER_KINDS.filter((k) => k !== 'input');
    for (const kind of expected) expect(typeof (KERAS_LAYERS as Record<string, unknown>)[kind], `entry '${kind}'`).toBe('function');
    expect(Object.keys(KERAS_LAYERS).sort()).toEqual([...expected].sort());
  });
});
