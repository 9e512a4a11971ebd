// A memory plan (from the spec) priced by a backend's memory model (measured factors and its real limit): whether a
// batch fits, and the largest batch that does. Pure arithmetic, shared by the registry, doctor and the CLI.
import { asCompiled, formatBytes, memoryPlan, type CompiledSpec, type MemoryPlan, type ModelSpec } from '@convzoo/models';
import type { MemoryModel } from './contract.js';

export interface MemoryNeed {
  batchSize: number;
  training: boolean;
  /** Optimizer slots per trainable parameter (Adam 2, SGD with momentum 1, plain SGD 0). Default 2. */
  optimizerSlots?: number;
}

export interface MemoryCheck extends MemoryNeed {
  backend: string;
  plan: MemoryPlan;
  needBytes: number;
  limitBytes: number;
  limitSource: string;
  fits: boolean;
  /** The largest batch that fits (0: not even one image). */
  largestBatch: number;
}

/** Bytes `model` needs at its peak for `plan`. */
export function estimateBytes(plan: MemoryPlan, model: MemoryModel): number {
  const f = (plan.training ? model.training : undefined) ?? model.inference;
  const fixed = plan.weightBytes * (1 + (f.parameters ?? 0)) + plan.gradientBytes + plan.optimizerBytes + f.overheadBytes;
  return fixed + f.activations * plan.activationBytes + f.temporary * plan.largestTemporaryBytes;
}

export function checkMemory(backend: string, spec: ModelSpec | CompiledSpec, model: MemoryModel, need: MemoryNeed): MemoryCheck {
  const compiled = asCompiled(spec);
  const planAt = (b: number) => memoryPlan(compiled, { batchSize: b, training: need.training, optimizerSlots: need.optimizerSlots ?? 2 });
  const plan = planAt(need.batchSize);
  const needBytes = estimateBytes(plan, model);
  // Need grows linearly with the batch: solve for the largest batch, then step down past rounding.
  const one = estimateBytes(planAt(1), model);
  const perImage = Math.max(1, estimateBytes(planAt(2), model) - one);
  let largest = one > model.limitBytes ? 0 : Math.floor((model.limitBytes - one) / perImage) + 1;
  while (largest > 0 && estimateBytes(planAt(largest), model) > model.limitBytes) largest--;
  return {
    ...need,
    backend,
    plan,
    needBytes,
    limitBytes: model.limitBytes,
    limitSource: model.limitSource,
    fits: needBytes <= model.limitBytes,
    largestBatch: largest,
  };
}

/** `googlenet at batch 128 (training) needs ~9.1 GiB on tfjs-wasm; it has 4.0 GiB (WebAssembly heap maximum)`. */
export function describeMemoryCheck(c: MemoryCheck, model: string): string {
  const mode = c.training ? 'training' : 'inference';
  const fit = c.largestBatch > 0 ? `the largest batch that fits is ${c.largestBatch}` : 'not even one image fits';
  return `${model} at batch ${c.batchSize} (${mode}) needs ~${formatBytes(c.needBytes)} on ${c.backend}; it has ${formatBytes(c.limitBytes)} (${c.limitSource}): ${fit}`;
}

/**
 * Memory the system can give a native engine now (Node: available RAM; browsers: unknown, undefined). Read through
 * process.getBuiltinModule so this file stays free of Node imports for browser bundles.
 */
export function systemMemoryBytes(): number | undefined {
  const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  const os = get?.('node:os') as { freemem(): number } | undefined;
  return os?.freemem();
}
