// A model's input recipe as data (ImageRecipe) and as code (imageTransforms): torchvision's `weights.transforms()`
// preset and Keras' `preprocess_input`, made one object. Browser-safe: it works on pixels already decoded.
import type { Tensor } from '@convzoo/backend';
import type { RgbImage } from './decode.js';
import { ImageError } from './errors.js';
import { fitImage, pixelsToTensor, type ResizeMethod } from './fit.js';
import { type PreprocessPreset, preprocess } from './preprocess.js';
import type { Pixels } from './resize.js';
import { type RgbaLike, rgbaToRgb } from './rgba.js';

/** How an image becomes a model's input (the options of fitImage, then a preprocess preset). */
export interface ImageRecipe {
  /** Input [height, width, channels]. */
  inputShape: [number, number, number];
  resize: ResizeMethod;
  /** 'center': shorter side to `resizeShorter`, then centre crop; 'none': squash to the input size. */
  crop: 'center' | 'none';
  resizeShorter?: number;
  /** Keras preprocess_input mode; 'caffe' = RGB->BGR, subtract `mean` (BGR order), no scaling. */
  preprocessing: PreprocessPreset;
  /** The mean the preset subtracts, as documentation (Keras' preprocess_input fixes it per mode). */
  mean?: [number, number, number];
}

/** Decoded 8-bit pixels: RGB (decodeImage, or Pixels with 3 channels) or RGBA (a canvas ImageData). */
export type DecodedImage = RgbImage | RgbaLike | Pixels<Uint8Array>;

/** A recipe ready to run. Calling it gives the model input; the two stages are there for who needs the crop. */
export interface ImageTransforms {
  /** Decoded pixels -> the model input, float32 [1, h, w, 3]. */
  (image: DecodedImage): Tensor;
  readonly recipe: ImageRecipe;
  /** Stage 1: resize and crop, float32 RGB values 0..255 [1, h, w, 3] (what the model sees, before normalisation). */
  resizeAndCrop(image: DecodedImage): Tensor;
  /** Stage 2: the recipe's preprocess preset on RGB 0..255 (Keras preprocess_input, bit for bit). */
  normalize(rgb: Tensor): Tensor;
}

/** RGB pixels of any decoded image: RGBA loses its alpha (not composited, as PIL's convert('RGB')). */
export function toRgbPixels(image: DecodedImage): Pixels<Uint8Array> {
  if ('channels' in image) {
    if (image.channels !== 3) throw new ImageError(`expected RGB pixels (3 channels), got ${image.channels} channels`);
    return image;
  }
  const n = image.width * image.height;
  if (image.data.length === n * 4) return rgbaToRgb(image);
  if (image.data.length !== n * 3) {
    throw new ImageError(`a ${image.width}x${image.height} image needs ${n * 3} (RGB) or ${n * 4} (RGBA) bytes, got ${image.data.length}`);
  }
  const { data } = image;
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.length);
  return { width: image.width, height: image.height, channels: 3, data: bytes };
}

/** `recipe` as runnable transforms (its fields are checked by fitImage and preprocess on first use). */
export function imageTransforms(recipe: ImageRecipe): ImageTransforms {
  const [h, w] = recipe.inputShape;
  const fit = {
    size: [h, w] as [number, number],
    resize: recipe.resize,
    crop: recipe.crop,
    ...(recipe.resizeShorter !== undefined ? { resizeShorter: recipe.resizeShorter } : {}),
  };
  const resizeAndCrop = (image: DecodedImage): Tensor => pixelsToTensor(fitImage(toRgbPixels(image), fit));
  const normalize = (rgb: Tensor): Tensor => preprocess(rgb, recipe.preprocessing);
  return Object.assign((image: DecodedImage) => normalize(resizeAndCrop(image)), { recipe, resizeAndCrop, normalize });
}
