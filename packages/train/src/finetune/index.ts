// Fine-tuning's public surface (re-exported by the package entry). Nothing here touches the file system, so a page
// fine-tunes with the same calls as the CLI.
export { finetune, stratifiedSplit, type FinetuneOptions, type FinetuneResult } from './finetune.js';
export { createFeatureExtractor, type FeatureExtractor, type FeatureExtractorOptions, type FinetuneImage } from './feature-extractor.js';
export { finetuneSpec, recipeAtSize, HEAD_LAYER, type FinetuneSpec, type FinetuneSpecOptions } from './finetune-spec.js';
export { backboneStages, splitSpec, type SplitSpec, type Stage } from './stages.js';
export { headlessBackbone, HEADLESS_POOL } from './headless.js';
export { CachedFeaturesModel } from './cached-features-model.js';
export { FinetuneError } from './errors.js';
export { finetuneRecord, readFinetuneRecord, FINETUNE_TASK, type FinetuneRecord } from './record.js';
