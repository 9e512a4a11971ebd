// A hand-drawn digit made to look like MNIST, the way LeCun et al. made it: the ink's bounding box scaled to fit a
// 20x20 box (aspect kept, anti-aliased), then placed in 28x28 so that its centre of mass sits at the centre.
import { DatasetError } from '../errors.js';
import { type Pixels, resizeBilinearFloat } from './pixels.js';

export interface MnistDigit {
  /** 28*28 floats in [0, 1], white ink on black as in MNIST; all zeros when nothing was drawn. */
  data: Float32Array;
  /** False when the input had no ink (the caller should not predict). */
  hasInk: boolean;
}

/**
 * `ink` is a grey image where larger means more ink (e.g. the alpha or 255 - luminance of a canvas), any size.
 * Returns the 28x28 MNIST-style image (values 0..1).
 */
export function mnistStyleDigit(ink: Pixels<Uint8Array | Float32Array>, threshold = 0): MnistDigit {
  const { width: w, height: h } = ink;
  if (ink.channels !== 1 || ink.data.length !== w * h)
    throw new DatasetError(`mnistStyleDigit: needs a 1-channel image, got ${ink.channels} channels, ${ink.data.length} values for ${w}x${h}`);
  let top = h,
    left = w,
    bottom = -1,
    right = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (ink.data[y * w + x]! > threshold) {
        if (y < top) top = y;
        if (y > bottom) bottom = y;
        if (x < left) left = x;
        if (x > right) right = x;
      }
    }
  }
  const out = new Float32Array(28 * 28);
  if (bottom < 0) return { data: out, hasInk: false };
  const bw = right - left + 1,
    bh = bottom - top + 1;
  const max = ink.data instanceof Uint8Array ? 255 : 1;
  const box = new Float32Array(bw * bh);
  for (let y = 0; y < bh; y++) for (let x = 0; x < bw; x++) box[y * bw + x] = ink.data[(top + y) * w + left + x]! / max;
  // Longer side -> 20 pixels (antialiased bilinear, like MNIST's anti-aliasing).
  const scale = 20 / Math.max(bw, bh);
  const sw = Math.max(1, Math.round(bw * scale)),
    sh = Math.max(1, Math.round(bh * scale));
  const small = resizeBilinearFloat({ width: bw, height: bh, channels: 1, data: box }, sw, sh);
  let mass = 0,
    cx = 0,
    cy = 0;
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < sw; x++) {
      const v = small.data[y * sw + x]!;
      mass += v;
      cx += v * x;
      cy += v * y;
    }
  }
  // Shift so the centre of mass lands on (14, 14) in pixel-centre coordinates, clamped to stay inside 28x28.
  const ox = Math.min(28 - sw, Math.max(0, Math.round(13.5 - cx / mass)));
  const oy = Math.min(28 - sh, Math.max(0, Math.round(13.5 - cy / mass)));
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < sw; x++) out[(oy + y) * 28 + ox + x] = Math.min(1, Math.max(0, small.data[y * sw + x]!));
  }
  return { data: out, hasInk: true };
}
