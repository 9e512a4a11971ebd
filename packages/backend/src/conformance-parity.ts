// Parity of one backend on one conformance case against the independent references (Keras, PyTorch), as plain
// functions: the suite asserts on them, and its self-test runs them on a deliberately wrong backend.
import type { ModelSpec } from '@convzoo/models';
import type { BackendRegistry, Tensor, WeightMap } from '@convzoo/backend';
import type { ConformanceCase } from './conformance-cases.js';
import {
  firstRows,
  kerasReference,
  parityError,
  randomInputs,
  randomWeights,
  REFERENCE_BATCH,
  REFERENCE_SEED,
  torchReference,
  weightsMismatch,
  type Reference,
} from './conformance-data.js';

export interface ParityProblem {
  /** The case has no usable reference: why (missing fixture, changed generator, batch too large). */
  reason: string;
}

export interface CaseData {
  spec: ModelSpec;
  weights: WeightMap;
  /** `batch` images per input, the first rows of the reference's batch. */
  inputs: Tensor[];
}

export interface CaseReference {
  source: string;
  /** One tensor per output, `batch` rows. */
  outputs: Tensor[];
}

/** The spec, seeded weights and inputs of a case, exactly as the reference fixtures were computed. */
export function caseData(c: ConformanceCase, batch: number): CaseData {
  const spec = typeof c.spec === 'function' ? c.spec() : c.spec;
  const inputs = randomInputs(spec, REFERENCE_BATCH, REFERENCE_SEED).map((t) => firstRows(t, Math.min(batch, REFERENCE_BATCH)));
  return { spec, weights: randomWeights(spec, REFERENCE_SEED), inputs };
}

function usable(ref: Reference | undefined, data: CaseData, batch: number, name: string, kind: string): CaseReference | ParityProblem {
  if (!ref)
    return { reason: `no ${kind} reference for '${name}' in @convzoo/backend fixtures/conformance-references.json (fixtures/README.md says how to make it)` };
  if (batch > REFERENCE_BATCH) return { reason: `batch ${batch} > the references' batch ${REFERENCE_BATCH}` };
  const mismatch = weightsMismatch(data.weights, ref);
  if (mismatch) return { reason: `${name}: ${mismatch}` };
  return { source: ref.source, outputs: ref.outputs.map((t) => firstRows(t, batch)) };
}

/** The Keras reference outputs of a case for `batch` images, or why there is none. */
export function kerasCaseReference(c: ConformanceCase, data: CaseData, batch: number): CaseReference | ParityProblem {
  return usable(kerasReference(c.name), data, batch, c.name, 'Keras');
}

/** The PyTorch reference (torchvision flavours only), undefined where the fixtures have none. */
export function torchCaseReference(c: ConformanceCase, data: CaseData, batch: number): CaseReference | ParityProblem | undefined {
  const ref = torchReference(c.name);
  return ref && usable(ref, data, batch, c.name, 'PyTorch');
}

export const isProblem = (r: CaseReference | ParityProblem | undefined): r is ParityProblem => r !== undefined && 'reason' in r;

export interface OutputParity {
  output: string;
  /** parityError against the reference; Infinity when shapes differ. */
  error: number;
}

/** parityError of each output the reference has (torchvision in eval mode returns the main head only); a shape mismatch counts as Infinity. */
export function compareOutputs(spec: ModelSpec, got: Tensor[], expected: Tensor[]): OutputParity[] {
  return spec.outputs.slice(0, expected.length).map((output, i) => {
    const a = got[i];
    const b = expected[i]!;
    const sameShape = a !== undefined && a.shape.length === b.shape.length && a.shape.every((d, k) => d === b.shape[k]);
    return { output, error: sameShape ? parityError(a, b) : Infinity };
  });
}

export interface CaseParity {
  backend: string;
  case: string;
  source: string;
  outputs: OutputParity[];
  /** Largest error over the outputs. */
  worst: number;
}

/** Compiles a case on `backend`, predicts, disposes, and measures it against the Keras reference. */
export async function measureParity(registry: BackendRegistry, backend: string, c: ConformanceCase, batch = REFERENCE_BATCH): Promise<CaseParity> {
  const data = caseData(c, batch);
  const ref = kerasCaseReference(c, data, batch);
  if (isProblem(ref)) throw new Error(ref.reason);
  const model = await registry.compile(data.spec, { backend, weights: data.weights, strictWeights: true });
  try {
    const outputs = compareOutputs(data.spec, await model.predict(data.inputs), ref.outputs);
    return { backend, case: c.name, source: ref.source, outputs, worst: Math.max(...outputs.map((o) => o.error)) };
  } finally {
    model.dispose();
  }
}
