export type * from './contract.js';
export { BackendError } from './errors.js';
export type { BackendErrorCode } from './errors.js';
export { tensor, sizeOf, formatShape, checkTensor, findNonFinite, assertFinite, sameShape } from './tensor.js';
export { initWeights, initParam, glorotUniform, fans } from './init.js';
export { createRng, streamSeed } from './rng.js';
export {
  asList,
  epochPermutation,
  gatherRows,
  gatherSamples,
  permutation,
  randomInt,
  sampleCount,
  sliceRows,
  sliceSamples,
  splitValidation,
  validationSplitIndex,
} from './samples.js';
export type { Rng, Samples } from './samples.js';
export { checkInputs, checkWeights, initialWeights, inputShapes, closestName } from './checks.js';
export type { CheckedInputs, CheckWeightsOptions } from './checks.js';
export { resolveLosses, resolveOptimizer, learningRateAt, optimizerSlots, outputActivation, checkTargets, LOSS_NAMES, EPSILON } from './training.js';
export type { ResolvedLosses, ResolvedOptimizer } from './training.js';
export { crossEntropySum } from './cross-entropy.js';
export {
  BackendRegistry,
  defaultRegistry,
  registerBackend,
  listBackends,
  probeBackend,
  resolveBackend,
  compile,
  resetRegistry,
  factoryCanTrain,
  isTrainable,
} from './registry.js';
export type { BackendInfo, BackendChoice, SkippedBackend, RegistryCompileOptions, RegisterOptions, DoctorEntry, BackendNeed } from './registry.js';
export { checkMemory, estimateBytes, describeMemoryCheck, systemMemoryBytes, type MemoryCheck, type MemoryNeed } from './memory.js';
export { doctor, formatDoctor } from './doctor.js';
export { SHIPPED_ADAPTERS, type AdapterPackage, type BrowserBackendName, type ShippedAdapter } from './adapters.js';
export { compareLayers, everyLayerAsOutput, formatLayerComparison } from './compare.js';
export type { LayerComparison, LayerDifference, CompareLayersOptions } from './compare.js';
