// Browser pixels (canvas ImageData: RGBA, 8-bit) as the RGB / grey Pixels the rest of the package works on.
import { ImageError } from './errors.js';
import type { Pixels } from './resize.js';

/** The shape of a canvas ImageData, without needing the DOM types. */
export interface RgbaLike {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

function check(img: RgbaLike, what: string): void {
  if (img.data.length !== img.width * img.height * 4) {
    throw new ImageError(`${what}: ${img.width}x${img.height} RGBA needs ${img.width * img.height * 4} bytes, got ${img.data.length}`);
  }
}

/**
 * Drops alpha without compositing, as PIL's convert('RGB') and decodeImage do (a browser's
 * ImageData of a decoded JPEG/PNG has the same stored RGB values, give or take the decoder's colour management).
 */
export function rgbaToRgb(img: RgbaLike): Pixels<Uint8Array> {
  check(img, 'rgbaToRgb');
  const n = img.width * img.height;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    out[i * 3] = img.data[i * 4]!;
    out[i * 3 + 1] = img.data[i * 4 + 1]!;
    out[i * 3 + 2] = img.data[i * 4 + 2]!;
  }
  return { width: img.width, height: img.height, channels: 3, data: out };
}
