// The browser entry (@convzoo/datasets/browser): preprocessing of pixels already decoded (canvas ImageData), with
// the same resize/crop/normalisation code as the Node loaders (@convzoo/image). No fs, no sharp, no MNIST files.
export { DatasetError } from './errors.js';
export type { Tensor } from './types.js';
export {
  cropPixels,
  fitImage,
  IMAGENET_CAFFE_MEAN_BGR,
  IMAGENET_TORCH_MEAN,
  IMAGENET_TORCH_STD,
  type LoadImageOptions,
  nearestIndices,
  type Pixels,
  PREPROCESS_PRESETS,
  type PreprocessPreset,
  pixelsToTensor,
  preprocess,
  type ResizeMethod,
  type RgbaLike,
  resizeBilinearBytes,
  resizeBilinearFloat,
  resizeNearest,
  rgbaToRgb,
  targetSize,
} from './image/pixels.js';
export { type MnistDigit, mnistStyleDigit } from './image/digit.js';
