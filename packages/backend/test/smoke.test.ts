import { describe, expect, it } from 'vitest';
import { SpecBuilder } from '@convzoo/spec';

describe('workspace wiring', () => {
  it('resolves @convzoo/spec from source', () => {
    const b = new SpecBuilder('t');
    const x = b.input([28, 28, 1]);
    expect(b.build(b.conv2d(x, { filters: 2, kernelSize: 3 })).layers[1]?.name).toBe('conv2d');
  });
});
