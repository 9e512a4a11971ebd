// What the registry tests' fake factories compile: a model that computes nothing (those tests never run it).
import type { CompiledSpec } from '@convzoo/models';
import type { Model } from '../src/index.js';

export function inertModel(compiled: CompiledSpec, backend: string): Model {
  return {
    spec: compiled.spec,
    backend,
    predict: async () => [],
    getWeights: async () => ({}),
    setWeights: async () => {},
    dispose() {},
  };
}
