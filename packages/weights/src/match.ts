// Loading asserts that weights and spec agree on EVERY parameter, both ways, like nanoGPT's from_pretrained: the one
// check of @convzoo/backend (checkWeights), complete, with the file named.
import { checkWeights, type WeightMap } from '@convzoo/backend';
import type { ModelSpec } from '@convzoo/models';

/** Throws BackendError('weights') naming `source` and the first unknown, mis-shaped or missing parameter. */
export function assertWeightsMatchSpec(spec: ModelSpec, weights: WeightMap, source: string): void {
  checkWeights(spec, weights, { complete: true, source });
}
