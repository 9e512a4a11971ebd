// One image file -> one NHWC tensor: decode with sharp, then the resize/crop recipe of fit.ts.
import type { Tensor } from '@convzoo/backend';
import { decodeImage } from './decode.js';
import { fitImage, pixelsToTensor, type LoadImageOptions } from './fit.js';

/**
 * Decodes, resizes and crops one image to a float32 tensor [1, h, w, 3] of RGB values 0..255 (apply `preprocess`
 * for a model's normalisation). `source` is a path or the file's bytes.
 */
export async function loadImage(source: string | Uint8Array, options: LoadImageOptions = {}): Promise<Tensor> {
  return pixelsToTensor(fitImage(await decodeImage(source), options));
}
