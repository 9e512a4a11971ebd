export { DatasetError } from './errors.js';
export type { Features, ImageSet, Labels, Tensor, TrainTest } from './types.js';
export { type IdxArray, type IdxData, type IdxDtype, type IdxExpectation, isGzip, maybeGunzip, parseIdx, readIdx } from './idx.js';
export {
  FASHION_MNIST_CLASS_NAMES,
  FASHION_MNIST_DEBIAN_DIR,
  IDX_FILES,
  MNIST_CLASS_NAMES,
  type IdxSetOptions,
  type Split,
  fashionMnistDir,
  findIdxFile,
  loadFashionMnist,
  loadIdxSplit,
  loadMnist,
  mnistDataDir,
} from './mnist.js';
export {
  CIFAR10_CLASS_NAMES,
  CIFAR10_TEST_FILE,
  CIFAR10_TRAIN_FILES,
  loadCifar10,
  loadCifarFiles,
  parseCifarRecords,
  readCifarClassNames,
} from './cifar.js';
export { DATASET_NAMES, type DatasetName, loadDataset } from './datasets.js';
export { type Rng, mulberry32, permutation, randomInt } from './rng.js';
export { oneHot, sliceImageSet, toTensor } from './features.js';
export { decodeImage, loadImage } from './image/load.js';
export * from './image/pixels.js';
export { IMAGE_EXTENSIONS, type ImageFolderOptions, type ImageFolderSet, loadImageFolder, type UnreadableImage } from './image/folder.js';
export { type MnistDigit, mnistStyleDigit } from './image/digit.js';
