// The browser entry (@convzoo/datasets/browser): preprocessing of pixels already decoded (canvas ImageData), with
// the same resize/crop/normalisation code as the Node loaders. No fs, no sharp, no MNIST files.
export { DatasetError } from './errors.js';
export type { Tensor } from './types.js';
export { nearestIndices, type Pixels, resizeBilinearBytes, resizeBilinearFloat, resizeNearest } from './image/resize.js';
export { cropPixels, fitImage, type LoadImageOptions, pixelsToTensor, type ResizeMethod, targetSize } from './image/fit.js';
export {
  IMAGENET_CAFFE_MEAN_BGR,
  IMAGENET_TORCH_MEAN,
  IMAGENET_TORCH_STD,
  PREPROCESS_PRESETS,
  type PreprocessPreset,
  preprocess,
} from './image/preprocess.js';
export { type RgbaLike, rgbaToRgb } from './image/rgba.js';
export { type MnistDigit, mnistStyleDigit } from './image/digit.js';
