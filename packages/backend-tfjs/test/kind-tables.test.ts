// Adding a layer kind is one entry per room: @convzoo/models's KIND_FIELDS (its fields) and LAYER_DEFS (its rules),
// and here the tfjs forward table. The compiler checks the table's type; this checks the runtime object too (a kind
// added to models without a rule here would otherwise surface as "undefined is not a function" deep inside a forward
// pass).
import { describe, expect, it } from 'vitest';
import { LAYER_DEFS, LAYER_KINDS } from '@convzoo/models';
import { FORWARD } from '../src/layers.js';

describe('the tfjs kind table', () => {
  it('has a forward rule for every layer kind spec defines, and nothing else', () => {
    expect(Object.keys(LAYER_DEFS).sort()).toEqual([...LAYER_KINDS].sort());
    for (const kind of LAYER_KINDS) expect(typeof FORWARD[kind], `FORWARD['${kind}']`).toBe('function');
    expect(Object.keys(FORWARD).sort()).toEqual([...LAYER_KINDS].sort());
  });
});
