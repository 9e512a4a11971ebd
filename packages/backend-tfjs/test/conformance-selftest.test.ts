// The conformance suite's self-test: its parity check must fail when the numbers change by more than rounding.
// (1) A backend that is right except for the padding of ONE conv layer (padded one row low, same shapes) fails it,
// and compareLayers names that layer first. (2) Mutation: the reference fixture itself perturbed by 1e-4 relative
// (all of it scaled by 1 + 1e-4; one logit, one probed activation value moved by 1e-4 of its tensor's RMS) fails,
// while the unmodified fixture passes (the control). tfjs-cpu is the backend under test in both.
import { beforeAll, describe, expect, it } from 'vitest';
import { compareLayers, defaultRegistry, type Tensor } from '@convzoo/backend';
import {
  architectureCases,
  caseData,
  caseReference,
  compareParity,
  isProblem,
  measureParity,
  parityBound,
  wrongPaddingBackend,
  type ParityReference,
} from '@convzoo/backend/conformance';
import { registerTfjsBackends } from '../src/index.js';

const WRONG = 'tfjs-cpu-wrong-padding';
const LAYER = 'stage2_block2_1_conv';
const resnet20 = architectureCases().find((c) => c.model?.name === 'resnet20')!;
const BOUND = parityBound(resnet20.name);

beforeAll(() => {
  registerTfjsBackends();
  if (!defaultRegistry.list().some((b) => b.name === WRONG)) defaultRegistry.register(wrongPaddingBackend({ name: WRONG, base: 'tfjs-cpu', layer: LAYER }));
});

describe('conformance self-test: a wrong backend fails', () => {
  it(`tfjs-cpu passes ${resnet20.name} against its reference (control)`, async () => {
    const p = await measureParity(defaultRegistry, 'tfjs-cpu', resnet20);
    expect(p.worst).toBeLessThanOrEqual(BOUND);
  });

  it(`the wrong-padding backend fails ${resnet20.name}`, async () => {
    const p = await measureParity(defaultRegistry, WRONG, resnet20);
    console.log(`self-test: ${WRONG} on ${resnet20.name}: parity error ${p.worst.toExponential(2)} (bound ${BOUND}) vs ${p.source}`);
    expect(p.worst).toBeGreaterThan(BOUND);
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

describe('conformance self-test: a fixture perturbed by 1e-4 relative fails', () => {
  const data = caseData(resnet20, 2);
  const found = caseReference(resnet20, data, 2);
  let outputs: Tensor[];
  beforeAll(async () => {
    const model = await defaultRegistry.compile(data.spec, { backend: 'tfjs-cpu', weights: data.weights, strictWeights: true });
    outputs = await model.predict(data.inputs);
    model.dispose();
  });
  const reference = (): ParityReference => {
    if (isProblem(found)) throw new Error(found.reason);
    return structuredClone(found);
  };
  const worst = (ref: ParityReference) => Math.max(...compareParity(data.spec, outputs, ref, 2).map((t) => t.error));

  it('the fixture as stored passes (control)', () => {
    expect(worst(reference())).toBeLessThanOrEqual(BOUND);
  });
  it('every stored value scaled by 1 + 1e-4 fails', () => {
    const ref = reference();
    for (const t of ref.tensors) t.data = t.data.map((v) => v * (1 + 1e-4));
    expect(worst(ref)).toBeGreaterThan(BOUND);
  });
  it.each([0, 1, 2, 3])('value 7 of tensor %i (0: the logits, then the probed activations) moved by 1e-4 of its RMS fails', (k) => {
    const ref = reference();
    const t = ref.tensors[k]!;
    t.data[7] = t.data[7]! + 1e-4 * t.rms;
    expect(worst(ref)).toBeGreaterThan(BOUND);
  });
});
