// Decoded pixels -> the model's input size, following the torchvision/Keras recipes (documented on LoadImageOptions).
// No decoder here (sharp is Node-only): browsers hand over ImageData, see rgba.ts.
import { ImageError } from './errors.js';
import type { Tensor } from '@convzoo/backend';
import type { RgbImage } from './decode.js';
import { type Pixels, resizeBilinearBytes, resizeNearest } from './resize.js';

export type ResizeMethod = 'bilinear' | 'nearest';

export interface LoadImageOptions {
  /** Output size: `n` for n x n, or [height, width]. Omitted: the image's own size (and no crop). */
  size?: number | [number, number];
  /**
   * 'bilinear' (default): Pillow's antialiased bilinear, bit for bit (torchvision's Resize on PIL images).
   * 'nearest': Pillow's nearest neighbour (Keras `load_img(target_size=...)`'s default).
   */
  resize?: ResizeMethod;
  /**
   * 'none' (default): resize straight to `size`, ignoring the aspect ratio (Keras `load_img(target_size=...)`).
   * 'center': torchvision `Resize(S)` then `CenterCrop(size)`: the shorter side becomes S (`resizeShorter`), the
   * longer `trunc(S * long / short)`, then the centre [h, w] window is cut at top = round((H - h) / 2),
   * left = round((W - w) / 2), rounding half to even as Python's round() does.
   */
  crop?: 'center' | 'none';
  /** S for crop 'center' (e.g. 256 for the classic 256 -> 224 ImageNet recipe). Default: max(h, w) of `size`. */
  resizeShorter?: number;
}

/** [height, width] of a `size` option. */
export function targetSize(size: number | [number, number]): [number, number] {
  const [h, w] = typeof size === 'number' ? [size, size] : size;
  if (!(Number.isInteger(h) && Number.isInteger(w) && h > 0 && w > 0)) {
    throw new ImageError(`size must be a positive integer or [height, width] of them, got ${JSON.stringify(size)}`);
  }
  return [h, w];
}

/** Python's round(): half to even. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Cuts the [h, w] window at (top, left). */
export function cropPixels(img: Pixels<Uint8Array>, top: number, left: number, h: number, w: number): Pixels<Uint8Array> {
  if (top < 0 || left < 0 || top + h > img.height || left + w > img.width) {
    throw new ImageError(`crop ${h}x${w} at (${top}, ${left}) does not fit a ${img.height}x${img.width} image`);
  }
  const c = img.channels;
  const out = new Uint8Array(h * w * c);
  for (let y = 0; y < h; y++) {
    const src = ((top + y) * img.width + left) * c;
    out.set(img.data.subarray(src, src + w * c), y * w * c);
  }
  return { width: w, height: h, channels: c, data: out };
}

/** Applies the resize/crop recipe of `options` to decoded pixels (8-bit, results as Pillow would give). */
export function fitImage(img: RgbImage | Pixels<Uint8Array>, options: LoadImageOptions = {}): Pixels<Uint8Array> {
  const pixels: Pixels<Uint8Array> = { width: img.width, height: img.height, channels: 'channels' in img ? img.channels : 3, data: img.data };
  if (options.size === undefined) return pixels;
  const [h, w] = targetSize(options.size);
  const method = options.resize ?? 'bilinear';
  if (method !== 'bilinear' && method !== 'nearest') {
    throw new ImageError(`resize must be 'bilinear' or 'nearest', got '${String(method)}'`);
  }
  const resize = (p: Pixels<Uint8Array>, ow: number, oh: number): Pixels<Uint8Array> =>
    ow === p.width && oh === p.height ? p : method === 'bilinear' ? resizeBilinearBytes(p, ow, oh) : resizeNearest(p, ow, oh);
  const crop = options.crop ?? 'none';
  if (crop === 'none') return resize(pixels, w, h);
  if (crop !== 'center') throw new ImageError(`crop must be 'center' or 'none', got '${String(crop)}'`);
  const shorter = options.resizeShorter ?? Math.max(h, w);
  if (!(Number.isInteger(shorter) && shorter >= Math.max(h, w))) {
    throw new ImageError(`resizeShorter must be an integer >= the crop size ${Math.max(h, w)}, got ${shorter}`);
  }
  const portrait = pixels.width <= pixels.height;
  const long = Math.trunc((shorter * Math.max(pixels.width, pixels.height)) / Math.min(pixels.width, pixels.height));
  const resized = portrait ? resize(pixels, shorter, long) : resize(pixels, long, shorter);
  return cropPixels(resized, roundHalfEven((resized.height - h) / 2), roundHalfEven((resized.width - w) / 2), h, w);
}

/** Pixels (8-bit) as a float32 tensor [1, h, w, c] of values 0..255. */
export function pixelsToTensor(p: Pixels<Uint8Array>): Tensor {
  return { shape: [1, p.height, p.width, p.channels], data: Float32Array.from(p.data) };
}
