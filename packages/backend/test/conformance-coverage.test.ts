// The conformance suite cannot silently lose a model or a layer kind: every registered architecture and flavour has a
// case, the small layer graphs use every kind of the kind table, and every case has an independent reference in the
// fixtures, from the network's own builder wherever a library has one, with a bound that a 1e-4 change fails.
import { describe, expect, it } from 'vitest';
import { LAYER_KINDS, listModels } from '@convzoo/models';
import {
  defaultConformanceCases,
  layerCases,
  parityBound,
  parityReference,
  paritySpec,
  recordedParity,
  uncoveredModels,
  type ConformanceCase,
} from '../src/conformance.js';

/** Where a case's reference must come from: the library that has the network, else the tutorial's code, else a translation. */
function expectedSource(c: ConformanceCase): string {
  const m = c.model;
  if (m?.flavour === 'torchvision') return `torchvision.models.${m.name} `;
  if (m?.flavour === 'keras' && ['vgg16', 'vgg19', 'resnet50', 'resnet101', 'resnet152'].includes(m.name))
    return `keras.applications.${m.name.replace('vgg', 'VGG').replace('resnet', 'ResNet')}`;
  // keras.applications has no VGG11/13 nor VGG with BatchNorm; torchvision has them all.
  if (m?.flavour === 'keras' && m.name.startsWith('vgg')) return `torchvision.models.${m.name} `;
  if (m?.flavour === 'tutorial') return "the tutorial's Keras code";
  // The layer cases, lenet5, the CIFAR nets of the paper, the keras-flavour ResNet18/34: no library has them.
  return 'keras layers (translation';
}

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

  it('every case has a reference with every tensor the suite compares', () => {
    const missing = cases.flatMap((c) => {
      const ref = parityReference(c.name);
      const spec = paritySpec(c, typeof c.spec === 'function' ? c.spec() : c.spec);
      return ref ? spec.outputs.filter((o) => !ref.tensors.some((t) => t.layer === o)).map((o) => `${c.name}: ${o}`) : [c.name];
    });
    expect(missing).toEqual([]);
  });

  it("every case's reference comes from the network's own builder where a library has one", () => {
    const wrong = cases.filter((c) => !parityReference(c.name)?.source.startsWith(expectedSource(c)));
    expect(wrong.map((c) => `${c.name}: ${parityReference(c.name)?.source}`)).toEqual([]);
    // 14 from torchvision (its 8 flavours, VGG11/13 and the four BatchNorm VGGs), 5 from keras.applications, 4 tutorials.
    const count = (prefix: string) => cases.filter((c) => parityReference(c.name)?.source.startsWith(prefix)).length;
    expect([count('torchvision.models.'), count('keras.applications.'), count("the tutorial's Keras code")]).toEqual([14, 5, 4]);
  });

  it('every case has a recorded error, and a reference moved by 1e-4 of its RMS fails its bound', () => {
    expect(cases.filter((c) => recordedParity(c.name) === undefined).map((c) => c.name)).toEqual([]);
    // |out - (ref + 1e-4 rms)| >= 1e-4 rms - |out - ref|: over the bound when bound + recorded error < 1e-4.
    const loose = cases.filter((c) => !(parityBound(c.name) + recordedParity(c.name)! < 1e-4));
    expect(loose.map((c) => `${c.name}: bound ${parityBound(c.name)}, recorded ${recordedParity(c.name)}`)).toEqual([]);
  });
});
