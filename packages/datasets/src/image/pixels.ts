// @convzoo/image's pixel functions under this package's names, errors as DatasetError. The code moved to
// @convzoo/image so that @convzoo/weights can run a model's transforms without importing datasets.
import * as image from '@convzoo/image/browser';
import { withDatasetErrors } from '../errors.js';

export {
  IMAGENET_CAFFE_MEAN_BGR,
  IMAGENET_TORCH_MEAN,
  IMAGENET_TORCH_STD,
  type LoadImageOptions,
  PREPROCESS_PRESETS,
  type Pixels,
  type PreprocessPreset,
  type ResizeMethod,
  type RgbImage,
  type RgbaLike,
  pixelsToTensor,
} from '@convzoo/image/browser';

export const resizeBilinearBytes: typeof image.resizeBilinearBytes = (img, w, h) => withDatasetErrors(() => image.resizeBilinearBytes(img, w, h));
export const resizeBilinearFloat: typeof image.resizeBilinearFloat = (img, w, h) => withDatasetErrors(() => image.resizeBilinearFloat(img, w, h));
export const resizeNearest: typeof image.resizeNearest = (img, w, h) => withDatasetErrors(() => image.resizeNearest(img, w, h));
export const nearestIndices: typeof image.nearestIndices = (inSize, outSize) => withDatasetErrors(() => image.nearestIndices(inSize, outSize));
export const targetSize: typeof image.targetSize = (size) => withDatasetErrors(() => image.targetSize(size));
export const cropPixels: typeof image.cropPixels = (img, top, left, h, w) => withDatasetErrors(() => image.cropPixels(img, top, left, h, w));
export const fitImage: typeof image.fitImage = (img, options) => withDatasetErrors(() => image.fitImage(img, options));
export const preprocess: typeof image.preprocess = (tensor, preset) => withDatasetErrors(() => image.preprocess(tensor, preset));
export const rgbaToRgb: typeof image.rgbaToRgb = (img) => withDatasetErrors(() => image.rgbaToRgb(img));
