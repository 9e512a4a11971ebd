// The browser entry (@convzoo/image/browser): everything that works on pixels already decoded (a canvas ImageData).
// No fs, no sharp.
export { ImageError } from './errors.js';
export { nearestIndices, type Pixels, resizeBilinearBytes, resizeBilinearFloat, resizeNearest } from './resize.js';
export { cropPixels, fitImage, type LoadImageOptions, pixelsToTensor, type ResizeMethod, targetSize } from './fit.js';
export {
  IMAGENET_CAFFE_MEAN_BGR,
  IMAGENET_TORCH_MEAN,
  IMAGENET_TORCH_STD,
  PREPROCESS_PRESETS,
  type PreprocessPreset,
  preprocess,
} from './preprocess.js';
export { type RgbaLike, rgbaToRgb } from './rgba.js';
export type { RgbImage } from './decode.js';
export { type DecodedImage, type ImageRecipe, type ImageTransforms, imageTransforms, toRgbPixels } from './transforms.js';
