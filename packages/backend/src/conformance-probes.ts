// Parity at the level the READMEs claim: every architecture's logits (its output layers without their softmax or
// sigmoid) and a few named intermediate activations, against references computed by the libraries' own builders
// (keras.applications, torchvision, the tutorial's Keras code; a layer-by-layer Keras translation only where no
// library has the network), stored in fixtures/parity-references.json. Each tensor's error is measured relative to
// its own RMS, so neither a near-uniform softmax nor a large activation hides a difference. No vitest here: the
// fixture exporter imports this too.
import type { ModelSpec } from '@convzoo/models';
import { createRng, streamSeed, type Tensor, type WeightMap } from '@convzoo/backend';
import measured from '../fixtures/parity-measured.json';
import references from '../fixtures/parity-references.json';
import type { ConformanceCase } from './conformance-cases.js';
import { randomWeights } from './conformance-data.js';

/** max |out − ref| / rms(ref) per tensor: the suite's bound, or 10x a case's recorded error where that is larger (parityBound). */
export const PARITY_BOUND = 1e-5;

const recorded = (measured as { cases: Record<string, Record<string, { worst: number }>> }).cases;

/** The largest error fixtures/parity-measured.json records for a case over the backends, if any. */
export function recordedParity(caseName: string): number | undefined {
  const byBackend = recorded[caseName];
  return byBackend && Math.max(...Object.values(byBackend).map((m) => m.worst));
}

/**
 * A case's bound: PARITY_BOUND, or 10x its recorded error over the backends where that is larger (deep nets whose
 * fp32 sums run in different orders: 6.7e-6 at most, AlexNet's 11x11 convs on onnx-cpu). Either way, every case's
 * bound plus its recorded error stays below 1e-4, so a reference perturbed by 1e-4 of a tensor's RMS fails
 * (asserted for every case in test/conformance-coverage.test.ts, shown on one in backend-tfjs' self-test).
 */
export function parityBound(caseName: string): number {
  return Math.max(PARITY_BOUND, 10 * (recordedParity(caseName) ?? 0));
}

/** How many values of an intermediate activation the fixture keeps (evenly spaced; logits are kept whole). */
export const PROBE_SAMPLES = 512;

/**
 * randomWeights with BatchNorm away from the identity (moving mean ±0.5, variance 0.25-2, gamma 0.5-1.5, beta ±0.5)
 * and biases ±0.2, so a BatchNorm or bias laid out wrongly moves the activations by far more than rounding does.
 */
export function parityWeights(spec: ModelSpec, seed: number): WeightMap {
  const weights = randomWeights(spec, seed);
  const ranges: Record<string, [number, number]> = {
    bias: [-0.2, 0.2],
    beta: [-0.5, 0.5],
    gamma: [0.5, 1.5],
    moving_mean: [-0.5, 0.5],
    moving_variance: [0.25, 2],
  };
  for (const [name, t] of Object.entries(weights)) {
    const param = name.slice(name.lastIndexOf('/') + 1);
    const range = ranges[param];
    if (!range) continue;
    const rng = createRng(streamSeed(seed + 2, name));
    for (let i = 0; i < t.data.length; i++) t.data[i] = range[0] + (range[1] - range[0]) * rng();
  }
  return weights;
}

/** Layers that `name` depends on (itself included). */
function ancestors(spec: ModelSpec, name: string): Set<string> {
  const byName = new Map(spec.layers.map((l) => [l.name, l]));
  const seen = new Set<string>();
  const stack = [name];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    stack.push(...(byName.get(n)?.inputs ?? []));
  }
  return seen;
}

/** The intermediate activations a case compares: conv layers on the path to the first output, at 1/4, 1/2 and 3/4 of it. */
export function probeLayers(spec: ModelSpec): string[] {
  const onPath = ancestors(spec, spec.outputs[0]!);
  const convs = spec.layers.filter((l) => l.kind === 'conv2d' && onPath.has(l.name) && !spec.outputs.includes(l.name)).map((l) => l.name);
  return [...new Set([1, 2, 3].map((q) => convs[Math.floor((q * convs.length) / 4)]).filter((n): n is string => n !== undefined))];
}

/**
 * The spec a case runs for parity: architectures' output layers lose their softmax/sigmoid (logits; the layer cases
 * keep theirs, they are what tests those activations), and the probe layers become extra outputs after them.
 */
export function paritySpec(c: ConformanceCase, spec: ModelSpec): ModelSpec {
  const logits = c.model !== undefined;
  const layers = spec.layers.map((l) =>
    logits && spec.outputs.includes(l.name) && 'activation' in l && (l.activation === 'softmax' || l.activation === 'sigmoid')
      ? { ...l, activation: 'linear' as const }
      : l,
  );
  return { ...spec, layers, outputs: [...spec.outputs, ...probeLayers(spec)] } as ModelSpec;
}

/**
 * A reference tensor as stored: its shape, RMS over all of it, and all its values or `data.length` evenly spaced ones
 * (flat index floor(k * (size - 1) / (data.length - 1)), sampledIndex).
 */
export interface StoredTensor {
  layer: string;
  shape: number[];
  rms: number;
  data: number[];
}

export interface ParityReference {
  /** What computed it, e.g. `keras.applications.ResNet50`, `torchvision.models.resnet18`, `tutorial Keras code`. */
  source: string;
  /** Sum and sum of |w| of every weight it was computed with: the seeded weights must still be the same. */
  weightSum: number;
  weightAbsSum: number;
  tensors: StoredTensor[];
}

const stored = references as unknown as { generator: string; cases: Record<string, ParityReference & { seed: number }> };

export const PARITY_GENERATOR: string = stored.generator;

export function parityReference(caseName: string): ParityReference | undefined {
  return stored.cases[caseName];
}

/** The flat index of stored value `k` of a tensor of `size` values of which `stored` are kept. */
export function sampledIndex(k: number, size: number, stored: number): number {
  return stored >= size ? k : Math.floor((k * (size - 1)) / (stored - 1));
}

/** max |out − ref| / rms(ref) over the stored values of the first `batch` rows; Infinity on a shape mismatch or NaN. */
export function rmsError(out: Tensor, ref: StoredTensor, batch: number): number {
  const shape = [batch, ...ref.shape.slice(1)];
  if (out.shape.length !== shape.length || out.shape.some((d, i) => d !== shape[i])) return Infinity;
  const limit = out.data.length;
  const size = ref.shape.reduce((a, b) => a * b, 1);
  let worst = 0;
  ref.data.forEach((r, k) => {
    const i = sampledIndex(k, size, ref.data.length);
    if (i >= limit) return;
    // The fixture keeps 9 digits: Math.fround gives back the exact float32 the generator computed.
    const d = Math.abs(out.data[i]! - Math.fround(r));
    worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
  });
  // A zero tensor (a dead ReLU map) compares absolutely.
  return worst / (ref.rms > 0 ? ref.rms : 1);
}

export interface TensorParity {
  layer: string;
  error: number;
}

/** rmsError of every reference tensor against the same-named output of `paritySpec` (outputs in its order). */
export function compareParity(spec: ModelSpec, got: Tensor[], ref: ParityReference, batch: number): TensorParity[] {
  return ref.tensors.map((t) => {
    const i = spec.outputs.indexOf(t.layer);
    return { layer: t.layer, error: i < 0 || got[i] === undefined ? Infinity : rmsError(got[i]!, t, batch) };
  });
}
