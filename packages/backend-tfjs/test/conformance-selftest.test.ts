// The conformance suite's self-test: a backend that is right except for the padding of ONE conv layer (padded one row
// low, same shapes) must fail the parity check against the Keras fixture, and compareLayers must name that layer as
// the first one over tolerance. tfjs-cpu on the same case is the control that passes.
import { beforeAll, describe, expect, it } from 'vitest';
import { compareLayers, defaultRegistry } from '@convzoo/backend';
import { architectureCases, caseData, measureParity, wrongPaddingBackend } from '@convzoo/backend/conformance';
import { registerTfjsBackends } from '../src/index.js';

const WRONG = 'tfjs-cpu-wrong-padding';
const LAYER = 'stage2_block2_1_conv';
const resnet20 = architectureCases().find((c) => c.model?.name === 'resnet20')!;

beforeAll(() => {
  registerTfjsBackends();
  if (!defaultRegistry.list().some((b) => b.name === WRONG)) defaultRegistry.register(wrongPaddingBackend({ name: WRONG, base: 'tfjs-cpu', layer: LAYER }));
});

describe('conformance self-test: a wrong backend fails', () => {
  it(`tfjs-cpu passes ${resnet20.name} against Keras (control)`, async () => {
    const p = await measureParity(defaultRegistry, 'tfjs-cpu', resnet20);
    expect(p.worst).toBeLessThanOrEqual(1e-4);
  });

  it(`the wrong-padding backend fails ${resnet20.name} against Keras`, async () => {
    const p = await measureParity(defaultRegistry, WRONG, resnet20);
    console.log(`self-test: ${WRONG} on ${resnet20.name}: parity error ${p.worst.toExponential(2)} (bound 1e-4) vs ${p.source}`);
    expect(p.worst).toBeGreaterThan(1e-4);
  });

  it(`compareLayers names '${LAYER}' as the first layer over tolerance`, async () => {
    const { spec, weights, inputs } = caseData(resnet20, 1);
    const c = await compareLayers(spec, ['tfjs-cpu', WRONG], { weights, inputs });
    expect(c.firstOver?.layer).toBe(LAYER);
    const index = c.layers.findIndex((l) => l.layer === LAYER);
    expect(index).toBeGreaterThan(0);
    expect(c.layers.slice(0, index).every((l) => l.maxRel === 0)).toBe(true);
  });
});
