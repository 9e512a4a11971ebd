// The conformance suite cannot silently lose a model: every registered architecture and flavour has a case, and
// every case has an independent reference (Keras; PyTorch too for torchvision flavours) in the fixtures.
import { describe, expect, it } from 'vitest';
import { listModels } from '@convzoo/models';
import { defaultConformanceCases, kerasReference, torchReference, uncoveredModels } from '../src/conformance.js';

describe('conformance coverage', () => {
  const cases = defaultConformanceCases();

  it('every registered model and flavour has a conformance case', () => {
    expect(uncoveredModels(cases)).toEqual([]);
    const flavours = listModels().reduce((n, m) => n + m.flavours.length, 0);
    expect(cases.filter((c) => c.model).length).toBe(flavours);
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
