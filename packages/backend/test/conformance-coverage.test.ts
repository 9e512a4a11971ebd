// The conformance suite cannot silently lose a model or a layer kind: every registered architecture and flavour has a
// case, the small layer graphs use every kind of the kind table, and every case has an independent reference (Keras;
// PyTorch too for torchvision flavours) in the fixtures.
import { describe, expect, it } from 'vitest';
import { LAYER_KINDS, listModels } from '@convzoo/models';
import { defaultConformanceCases, kerasReference, layerCases, torchReference, uncoveredModels } from '../src/conformance.js';

describe('conformance coverage', () => {
  const cases = defaultConformanceCases();

  it('every registered model and flavour has a conformance case', () => {
    expect(uncoveredModels(cases)).toEqual([]);
    const flavours = listModels().reduce((n, m) => n + m.flavours.length, 0);
    expect(cases.filter((c) => c.model).length).toBe(flavours);
  });

  it('the layer cases use every layer kind (a new kind needs a case here, and its reference)', () => {
    const used = new Set(layerCases().flatMap((c) => (typeof c.spec === 'function' ? c.spec() : c.spec).layers.map((l) => l.kind)));
    expect(LAYER_KINDS.filter((k) => !used.has(k))).toEqual([]);
  });

  it('uncoveredModels names a registered model that has no case', () => {
    expect(uncoveredModels(cases.filter((c) => c.model?.name !== 'resnet152'))).toEqual(['resnet152 (keras)', 'resnet152 (torchvision)']);
  });

  it('every case has a Keras reference fixture', () => {
    expect(cases.filter((c) => !kerasReference(c.name)).map((c) => c.name)).toEqual([]);
  });

  it('every torchvision flavour has a PyTorch reference fixture', () => {
    const torchvision = cases.filter((c) => c.model?.flavour === 'torchvision');
    expect(torchvision.length).toBeGreaterThan(0);
    expect(torchvision.filter((c) => !torchReference(c.name)).map((c) => c.name)).toEqual([]);
  });
});
