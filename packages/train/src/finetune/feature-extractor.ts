// The frozen part of a fine-tuned network as a feature extractor: compiled once, it turns images into the cached
// features the trainable part trains on. A page that adds photos one by one (teach-in-the-browser) extracts each
// photo's features as it arrives and hands them all to `finetune({ features })`; the CLI extracts a folder at once.
import { compile, type BackendChoice, type Model, type Tensor, type WeightMap, type WeightsSource } from '@convzoo/backend';
import { paramInfos, type ModelSpec } from '@convzoo/models';
import { FinetuneError } from './errors.js';
import { finetuneSpec, type FinetuneSpec } from './finetune-spec.js';

/** One image as the model input [1, h, w, c] (the backbone's recipe already applied), or a loader of it. */
export type FinetuneImage = Tensor | (() => Promise<Tensor> | Tensor);

export interface FeatureExtractorOptions {
  /** The pretrained backbone without its head (includeTop: false, pooling 'avg') and its weights. */
  backbone: { spec: ModelSpec; weights: WeightMap };
  /**
   * The backbone's weights by key instead of `backbone.weights` (then unused): loaded only if the backend asks for
   * them. The browser's ONNX backends keep the compiled frozen part in its `cacheDir` (Cache Storage), so a later
   * visit starts from it without reading, checking or exporting the weights.
   */
  weightsSource?: WeightsSource;
  /** The stages that will train (default 0): the features are the output of the stage before them. */
  unfreeze?: number;
  backend?: string;
  /** Images per forward pass (default 16). */
  batchSize?: number;
  onBackend?: (choice: BackendChoice) => void;
}

/** The weights of `spec`'s parameters found in `weights`. */
export function weightsOf(spec: ModelSpec, weights: WeightMap): WeightMap {
  const out: WeightMap = {};
  for (const p of paramInfos(spec)) {
    const w = weights[p.name];
    if (w) out[p.name] = w;
  }
  return out;
}

export interface FeatureExtractor {
  /** Where the network is cut (the class count of its head is a placeholder until finetune builds the real one). */
  readonly split: FinetuneSpec;
  /** Shape of one image's features. */
  readonly featureShape: number[];
  readonly backend: string;
  /** Features of `images`, [n, ...featureShape], `batchSize` images per pass; `onProgress(done, total)` after each. */
  extract(images: readonly FinetuneImage[], onProgress?: (done: number, total: number) => void): Promise<Tensor>;
  dispose(): void;
}

/** Compiles the frozen part of `backbone` (cut as finetuneSpec cuts it) for extracting features. */
export async function createFeatureExtractor(o: FeatureExtractorOptions): Promise<FeatureExtractor> {
  const split = finetuneSpec(o.backbone.spec, { classes: 2, ...(o.unfreeze !== undefined ? { unfreeze: o.unfreeze } : {}) });
  const batch = o.batchSize ?? 16;
  const source = o.weightsSource;
  // The frozen part's weights are a subset of the backbone's: their own key.
  const weights = source
    ? { weightsSource: { ...source, key: `${source.key}#${split.frozen.name}`, load: async () => weightsOf(split.frozen, await source.load()) } }
    : { weights: weightsOf(split.frozen, o.backbone.weights) };
  const model: Model = await compile(split.frozen, {
    backend: o.backend ?? 'auto',
    ...weights,
    batchSize: batch,
    ...(o.onBackend ? { onBackend: o.onBackend } : {}),
  });
  const per = split.featureShape.reduce((a, b) => a * b, 1);
  const extract = async (images: readonly FinetuneImage[], onProgress?: (done: number, total: number) => void): Promise<Tensor> => {
    const out = new Float32Array(images.length * per);
    for (let at = 0; at < images.length; at += batch) {
      const group = await Promise.all(images.slice(at, at + batch).map((img) => (typeof img === 'function' ? img() : img)));
      const size = group[0]!.data.length;
      const x = new Float32Array(size * group.length);
      group.forEach((t, i) => {
        if (t.data.length !== size)
          throw new FinetuneError(`image ${at + i} has shape [${t.shape.join(', ')}], unlike image ${at} [${group[0]!.shape.join(', ')}]`);
        x.set(t.data, i * size);
      });
      const [features] = await model.predict({ shape: [group.length, ...group[0]!.shape.slice(1)], data: x });
      out.set(features!.data, at * per);
      onProgress?.(at + group.length, images.length);
    }
    return { shape: [images.length, ...split.featureShape], data: out };
  };
  return { split, featureShape: split.featureShape, backend: model.backend, extract, dispose: () => model.dispose() };
}
