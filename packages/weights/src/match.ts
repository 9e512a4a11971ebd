// Loading asserts that weights and spec agree on EVERY parameter, both ways, like nanoGPT's from_pretrained.
import type { WeightMap } from '@convzoo/backend';
import { paramInfos, type ModelSpec } from '@convzoo/spec';
import { WeightImportError } from './tfjs-layers.js';

/** Throws naming the first spec parameter missing or mis-shaped in `weights`, or the first weight the spec lacks. */
export function assertWeightsMatchSpec(spec: ModelSpec, weights: WeightMap, source: string): void {
  const params = paramInfos(spec);
  const expected = new Set<string>();
  for (const p of params) {
    expected.add(p.name);
    const t = weights[p.name];
    if (!t) throw new WeightImportError(`${source}: spec '${spec.name}' needs parameter '${p.name}' [${p.shape.join(', ')}], which the weights lack`);
    if (t.shape.length !== p.shape.length || t.shape.some((d, i) => d !== p.shape[i])) {
      throw new WeightImportError(`${source}: parameter '${p.name}' has shape [${t.shape.join(', ')}] but spec '${spec.name}' needs [${p.shape.join(', ')}]`);
    }
  }
  for (const name of Object.keys(weights)) {
    if (!expected.has(name)) throw new WeightImportError(`${source}: weight '${name}' matches no parameter of spec '${spec.name}'`);
  }
}
