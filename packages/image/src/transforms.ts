// A model's input recipe as data (ImageRecipe) and as code (imageTransforms): torchvision's `weights.transforms()`
// preset and Keras' `preprocess_input`, made one object. Browser-safe: it works on pixels already decoded.
import type { Tensor } from '@convzoo/backend';
import type { ImageRecipe as ModelsImageRecipe } from '@convzoo/models';
import type { RgbImage } from './decode.js';
import { ImageError } from './errors.js';
import { fitImage, pixelsToTensor } from './fit.js';
import { IMAGENET_CAFFE_MEAN_BGR, IMAGENET_TORCH_MEAN, type PreprocessPreset, preprocess } from './preprocess.js';
import type { Pixels } from './resize.js';
import { type RgbaLike, rgbaToRgb } from './rgba.js';

/**
 * How an image becomes a model's input (the options of fitImage, then a preprocess preset): plain data defined by
 * @convzoo/models, where the pretrained weight tags carry it.
 */
export type ImageRecipe = ModelsImageRecipe;

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

const PRESET_MEAN: Record<PreprocessPreset, readonly number[] | undefined> = {
  caffe: IMAGENET_CAFFE_MEAN_BGR,
  torch: IMAGENET_TORCH_MEAN,
  tf: undefined,
};

/** `recipe` as runnable transforms (size, resize and crop are checked by fitImage, the preset by preprocess). */
export function imageTransforms(recipe: ImageRecipe): ImageTransforms {
  const presetMean = PRESET_MEAN[recipe.preprocessing];
  if (recipe.mean !== undefined && recipe.mean.join() !== presetMean?.join()) {
    throw new ImageError(
      `recipe mean [${recipe.mean.join(', ')}] is not what preprocessing '${recipe.preprocessing}' subtracts (${presetMean ? `[${presetMean.join(', ')}]` : 'no mean'}); Keras' preprocess_input modes have fixed means`,
    );
  }
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
