// Parity of one backend on one conformance case against the independent references (fixtures/parity-references.json:
// keras.applications, torchvision, the tutorial's Keras code, or a Keras translation where no library has the net),
// as plain functions: the suite asserts on them, and its self-test runs them on a deliberately wrong backend.
import type { ModelSpec } from '@convzoo/models';
import type { BackendRegistry, Tensor, WeightMap } from '@convzoo/backend';
import type { ConformanceCase } from './conformance-cases.js';
import { firstRows, randomInputs, REFERENCE_BATCH, REFERENCE_SEED } from './conformance-data.js';
import { compareParity, PARITY_BOUND, parityReference, paritySpec, parityWeights, type ParityReference, type TensorParity } from './conformance-probes.js';

export interface ParityProblem {
  /** The case has no usable reference: why (missing fixture, changed generator, batch too large). */
  reason: string;
}

export interface CaseData {
  /** The parity spec: logits (architectures) and probe layers as outputs. */
  spec: ModelSpec;
  weights: WeightMap;
  /** `batch` images per input, the first rows of the reference's batch. */
  inputs: Tensor[];
}

/** The parity spec, seeded weights and inputs of a case, exactly as the reference fixtures were computed. */
export function caseData(c: ConformanceCase, batch: number): CaseData {
  const original = typeof c.spec === 'function' ? c.spec() : c.spec;
  const inputs = randomInputs(original, REFERENCE_BATCH, REFERENCE_SEED).map((t) => firstRows(t, Math.min(batch, REFERENCE_BATCH)));
  return { spec: paritySpec(c, original), weights: parityWeights(original, REFERENCE_SEED), inputs };
}

/** The case's reference, or why there is none usable. */
export function caseReference(c: ConformanceCase, data: CaseData, batch: number): ParityReference | ParityProblem {
  const ref = parityReference(c.name);
  if (!ref) return { reason: `no reference for '${c.name}' in @convzoo/backend fixtures/parity-references.json (fixtures/README.md says how to make it)` };
  if (batch > REFERENCE_BATCH) return { reason: `batch ${batch} > the references' batch ${REFERENCE_BATCH}` };
  let sum = 0;
  for (const t of Object.values(data.weights)) for (let i = 0; i < t.data.length; i++) sum += t.data[i]!;
  if (!(Math.abs(sum - ref.weightSum) <= 1e-7 * Math.max(1, ref.weightAbsSum)))
    return {
      reason: `${c.name}: the seeded weights sum to ${sum}, the reference's to ${ref.weightSum}: the generator changed, regenerate fixtures/parity-references.json`,
    };
  const missing = data.spec.outputs.filter((o) => !ref.tensors.some((t) => t.layer === o));
  // Every output compared; only the tutorial GoogLeNet's aux heads could be absent, and the generator stores them too.
  if (missing.length > 0) return { reason: `${c.name}: the reference has no ${missing.join(', ')}: regenerate fixtures/parity-references.json` };
  return ref;
}

/** The reference another backend gives (an adapter's own extra graphs, which have no fixture): whole tensors. */
export async function backendReference(registry: BackendRegistry, backend: string, data: CaseData): Promise<ParityReference> {
  const model = await registry.compile(data.spec, { backend, weights: data.weights, strictWeights: true });
  try {
    const outputs = await model.predict(data.inputs);
    const tensors = outputs.map((t, i) => {
      let sq = 0;
      for (const v of t.data) sq += v * v;
      return { layer: data.spec.outputs[i]!, shape: t.shape, rms: Math.sqrt(sq / t.data.length), data: Array.from(t.data) };
    });
    return { source: backend, weightSum: 0, weightAbsSum: 0, tensors };
  } finally {
    model.dispose();
  }
}

export const isProblem = (r: ParityReference | ParityProblem | undefined): r is ParityProblem => r !== undefined && 'reason' in r;

export interface CaseParity {
  backend: string;
  case: string;
  source: string;
  tensors: TensorParity[];
  /** Largest error over the tensors (max |out − ref| / rms(ref)). */
  worst: number;
}

/** Compiles a case on `backend`, predicts, disposes, and measures it against its reference (or `ref` when given). */
export async function measureParity(
  registry: BackendRegistry,
  backend: string,
  c: ConformanceCase,
  batch = REFERENCE_BATCH,
  ref?: ParityReference,
): Promise<CaseParity> {
  const data = caseData(c, batch);
  const reference = ref ?? caseReference(c, data, batch);
  if (isProblem(reference)) throw new Error(reference.reason);
  const model = await registry.compile(data.spec, { backend, weights: data.weights, strictWeights: true });
  try {
    const tensors = compareParity(data.spec, await model.predict(data.inputs), reference, batch);
    return { backend, case: c.name, source: reference.source, tensors, worst: Math.max(...tensors.map((o) => o.error)) };
  } finally {
    model.dispose();
  }
}

export { PARITY_BOUND };
