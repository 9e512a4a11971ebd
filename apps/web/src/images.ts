// A user's photo -> the ResNet50 input, with the weights entry's transforms as `convzoo classify` runs them: the
// browser decodes (no colour-space conversion), the transforms drop alpha, resize, crop and normalise.
import type { Tensor } from '@convzoo/backend';
import type { ImageTransforms } from '@convzoo/weights/browser';

/** Larger photos are refused before decoding into memory (a 100-megapixel RGBA buffer is 400 MB). */
export const MAX_PIXELS = 50_000_000;

export interface PreparedPhoto {
  /** What the model sees before normalisation, for display. */
  rgb: Tensor;
  input: Tensor;
  width: number;
  height: number;
}

export async function decodePhoto(blob: Blob, name: string): Promise<ImageData> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch {
    throw new Error(`${name} is not an image this browser can decode (use a JPEG or PNG)`);
  }
  try {
    if (bitmap.width * bitmap.height > MAX_PIXELS) {
      throw new Error(`${name} is ${bitmap.width}x${bitmap.height} pixels; the limit is ${MAX_PIXELS / 1e6} megapixels — scale it down first`);
    }
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('this browser gives no 2D canvas to read the photo with');
    ctx.drawImage(bitmap, 0, 0);
    return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
  } finally {
    bitmap.close();
  }
}

export function preparePhoto(img: ImageData, transforms: ImageTransforms): PreparedPhoto {
  const rgb = transforms.resizeAndCrop(img);
  return { rgb, input: transforms.normalize(rgb), width: img.width, height: img.height };
}
