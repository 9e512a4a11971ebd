// Shared by the import tests: a fixture of fixtures/make_onnx_import_fixtures.py (an ONNX file exported by PyTorch and
// its references) checked against importOnnx + onnx-cpu: predictions against Python ONNX Runtime's on the file, and
// one SGD step against PyTorch's autograd.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultRegistry, type Tensor, type TrainableModel, type WeightMap } from '@convzoo/backend';
import { readSafetensors } from '@convzoo/io';
import type { ModelSpec } from '@convzoo/models';
import { importOnnx, type ImportedOnnx } from '../src/index.js';
import { nchwToNhwc } from '../src/import/training-session.js';
import { decodeModel } from '../src/proto/onnx.js';
import { encodeModel } from '../src/proto/onnx.js';

export interface ImportFixture {
  bytes: Uint8Array;
  ref: Record<string, Tensor>;
  /** The generator's notes: torch version, opset, and PyTorch's own float32 deviation (torch32_overall, torch32_worst). */
  meta: Record<string, string>;
  imported: ImportedOnnx;
}

export function loadFixture(dir: string, name: string): ImportFixture {
  const bytes = new Uint8Array(readFileSync(join(dir, `${name}.onnx`)));
  const { weights: ref, metadata: meta } = readSafetensors(new Uint8Array(readFileSync(join(dir, `${name}.ref.safetensors`))));
  return { bytes, ref, meta, imported: importOnnx(bytes) };
}

/** NCHW -> NHWC (convzoo's input layout). */
export const toNhwc = nchwToNhwc;

/** max |a - b| / max |b|: the error relative to the reference's scale (logits, updates). */
export function relativeError(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}

export async function predictError(f: ImportFixture): Promise<number> {
  const model = await defaultRegistry.compile(f.imported.spec, { backend: 'onnx-cpu', weights: f.imported.weights, strictWeights: true });
  try {
    const [out] = await model.predict(f.imported.inputLayout === 'NCHW' ? toNhwc(f.ref.x!) : f.ref.x!);
    return relativeError(out!.data, f.ref.logits!.data);
  } finally {
    model.dispose();
  }
}

/**
 * PyTorch's updates in convzoo's layout: the fixture's ONNX file with its initializers replaced by `update/` tensors
 * (of the fixture's reference, or another made for the same file), imported.
 */
export function torchUpdates(f: ImportFixture, ref: Record<string, Tensor> = f.ref): WeightMap {
  const model = decodeModel(f.bytes);
  for (const t of model.graph.initializer) {
    const update = ref[`update/${t.name}`];
    if (update) t.raw_data = new Uint8Array(update.data.buffer.slice(update.data.byteOffset, update.data.byteOffset + update.data.byteLength));
  }
  return importOnnx(encodeModel(model)).weights;
}

/** Trains on logits: a softmax appended (convzoo's cross-entropy reads probabilities), dropout off as in the reference. */
export function trainingSpec(spec: ModelSpec, softmaxOutput: boolean): ModelSpec {
  const layers = spec.layers.map((l) => (l.kind === 'dropout' ? { ...l, rate: 0 } : l));
  if (softmaxOutput) return { ...spec, layers };
  const out = spec.outputs[0]!;
  return { ...spec, layers: [...layers, { kind: 'activation', name: `${out}/softmax`, inputs: [out], activation: 'softmax' }], outputs: [`${out}/softmax`] };
}

/**
 * Per trained parameter: |our update - PyTorch's| over the larger of |PyTorch's update| and 1e-3 |the whole update|
 * (L2 norms). The floor: some true gradients are exactly zero (a conv bias before a train-mode BatchNorm, a BN beta that
 * only reaches a 1x1 conv + BatchNorm, whose input gradient sums to zero per channel), and both engines then return
 * rounding noise (~1e-9) whose ratio means nothing.
 */
export interface UpdateErrors {
  /** By parameter name, as above. */
  params: Record<string, number>;
  /** |all our updates - all PyTorch's| / |all PyTorch's updates|. */
  overall: number;
}

export async function sgdUpdateErrors(f: ImportFixture, lr: number, softmaxOutput = false, backend = 'onnx-cpu'): Promise<UpdateErrors> {
  return compareUpdates(f, trainingSpec(f.imported.spec, softmaxOutput), f.imported.weights, torchUpdates(f), lr, backend);
}

async function compareUpdates(
  f: ImportFixture,
  spec: ModelSpec,
  weights: WeightMap,
  updates: WeightMap,
  lr: number,
  backend = 'onnx-cpu',
): Promise<UpdateErrors> {
  const model = (await defaultRegistry.compile(spec, {
    backend,
    weights,
    strictWeights: true,
    training: { loss: 'sparseCategoricalCrossentropy', optimizer: { kind: 'sgd', learningRate: lr } },
  })) as TrainableModel;
  try {
    await model.trainStep(f.imported.inputLayout === 'NCHW' ? toNhwc(f.ref.x!) : f.ref.x!, f.ref['train/y']!);
    return updateErrors(weights, await model.getWeights(), updates);
  } finally {
    model.dispose();
  }
}

/** Our update (after - before) against a reference update, as UpdateErrors. */
export function updateErrors(before: WeightMap, after: WeightMap, updates: WeightMap): UpdateErrors {
  const norms: Record<string, { diff: number; ref: number }> = {};
  let total = 0;
  let totalDiff = 0;
  for (const [name, w] of Object.entries(before)) {
    if (name.endsWith('/moving_mean') || name.endsWith('/moving_variance')) continue;
    const update = updates[name];
    if (!update) throw new Error(`no reference update for '${name}'`);
    let d2 = 0;
    let r2 = 0;
    for (let i = 0; i < w.data.length; i++) {
      const ref = update.data[i]!;
      d2 += (after[name]!.data[i]! - w.data[i]! - ref) ** 2;
      r2 += ref ** 2;
    }
    norms[name] = { diff: Math.sqrt(d2), ref: Math.sqrt(r2) };
    total += r2;
    totalDiff += d2;
  }
  const floor = 1e-3 * Math.sqrt(total);
  const params = Object.fromEntries(Object.entries(norms).map(([name, n]) => [name, n.diff / Math.max(n.ref, floor)]));
  return { params, overall: Math.sqrt(totalDiff / total) };
}

/** Keras' updates by layer order (fixtures/make_onnx_import_keras.py): `update/<i>/<param>` of the i-th conv2d/dense layer. */
export async function kerasUpdateErrors(f: ImportFixture, lr: number): Promise<UpdateErrors> {
  const { spec, weights } = f.imported;
  const trained = spec.layers.filter((l) => l.kind === 'conv2d' || l.kind === 'dense');
  const updates: WeightMap = {};
  trained.forEach((l, i) => {
    for (const p of ['kernel', 'bias']) if (f.ref[`update/${i}/${p}`]) updates[`${l.name}/${p}`] = f.ref[`update/${i}/${p}`]!;
  });
  return compareUpdates(f, trainingSpec(spec, true), weights, updates, lr);
}
