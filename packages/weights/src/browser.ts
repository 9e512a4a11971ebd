// The browser entry (@convzoo/weights/browser): everything that works on bytes already in memory — safetensors and
// tfjs-layers parsing, the pretrained registry (metadata, transforms on decoded pixels, pretrainedFromFiles),
// ImageNet labels and decoding.
// No fs, no npm fetching, no cache directory: a page fetches the pinned files itself and checks their sha256.
export { writeSafetensors, readSafetensors, SafetensorsError, MAX_HEADER_BYTES } from '@convzoo/io/browser';
export type { SafetensorsFile } from '@convzoo/io/browser';
export { float16ToFloat32 } from '@convzoo/io/browser';
export { WeightImportError, parseTfjsModelJson, readTfjsWeights } from './tfjs-layers.js';
export type { TfjsModelJson, TfjsWeightsGroup, TfjsWeightEntry, TfjsQuantization } from './tfjs-layers.js';
export { kerasLegacyResNetLayerName, renameKerasLegacyResNet, kerasBatchNormEpsilon } from './keras-resnet.js';
export { assertWeightsMatchSpec } from './match.js';
export { IMAGENET_LABELS } from './imagenet-labels.js';
export { PRETRAINED_ENTRIES, getPretrainedEntry, pretrainedEntry, checkOptions, pretrainedFromFiles, pretrainedKey, entryDataOf } from './pretrained-core.js';
export { LABEL_SETS, WeightTagMismatchError } from './tag-files.js';
export type { PretrainedEntry, PretrainedEntryData, PretrainedMeta, PretrainedOptions, ImageRecipe } from './pretrained-core.js';
export type { DecodedImage, ImageTransforms } from '@convzoo/image/browser';
export type { NpmWeightsSource } from './fetch.js';
export { decodePredictions } from './decode.js';
export type { Prediction } from './decode.js';
