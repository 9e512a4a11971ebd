// SpecBuilder.layer(): any kind from its fields alone, so a kind without its own builder method (a new one) can be
// built, in the conformance cases too; it must give the same spec as the kind's method.
import { describe, expect, it } from 'vitest';
import { SpecBuilder } from '../src/index.js';

describe('SpecBuilder.layer', () => {
  it('builds the same spec as the per-kind methods, automatic names and model inputs included', () => {
    const a = new SpecBuilder('m');
    const x = a.input([8, 8, 3]);
    const flat = a.flatten(a.conv2d(x, { filters: 4, kernelSize: 3, padding: 'same' }));
    const b = new SpecBuilder('m');
    const y = b.layer({ kind: 'input', inputs: [], shape: [8, 8, 3] });
    const conv = b.layer({
      kind: 'conv2d',
      inputs: [y],
      filters: 4,
      kernelSize: [3, 3],
      strides: [1, 1],
      padding: 'same',
      dilation: [1, 1],
      groups: 1,
      useBias: true,
      activation: 'linear',
    });
    expect(b.build(b.layer({ kind: 'flatten', inputs: [conv] }))).toEqual(a.build(flat));
  });
});
