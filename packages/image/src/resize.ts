// Resizing as Pillow does it, so a convzoo pipeline feeds a network the same pixels a Keras/torchvision pipeline
// (both resize with PIL) would.
//
// Bilinear (Pillow src/libImaging/Resample.c): a separable triangle filter whose support is scaled by the downscale
// factor, i.e. antialiased: output pixel i along an axis of scale s = in/out samples around centre (i + 0.5) * s with
// weights tri((j + 0.5 - centre) / max(s, 1)), j over [trunc(centre - r + 0.5), trunc(centre + r + 0.5)) clipped to
// the image, r = max(s, 1), weights normalised to sum 1. Pillow runs this on 8-bit images in fixed point (22
// fractional bits, +0.5 rounding, clamp to 0..255), horizontal pass first (only when the width changes), the result
// rounded to 8 bits, then the vertical pass. `resizeBilinearBytes` replicates that bit for bit;
// `resizeBilinearFloat` applies the same weights to float data without rounding.
//
// Nearest (Pillow Geometry.c ImagingScaleAffine): source index floor(x0), x0 = s / 2, advanced by += s per output
// pixel (accumulated exactly as Pillow does, so ties fall the same way).
import { ImageError } from './errors.js';

const PRECISION_BITS = 32 - 8 - 2;

interface Coefficients {
  /** First source index for each output index. */
  start: Int32Array;
  /** Number of source taps for each output index. */
  count: Int32Array;
  /** Weights, `taps` per output index (row i at i * taps). */
  weights: Float64Array;
  taps: number;
}

const triangle = (x: number): number => {
  const a = Math.abs(x);
  return a < 1 ? 1 - a : 0;
};

/** Pillow's `precompute_coeffs` for the bilinear filter (support 1), box = the whole input axis. */
function bilinearCoefficients(inSize: number, outSize: number): Coefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = 1 * filterScale;
  const taps = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float64Array(outSize * taps);
  for (let i = 0; i < outSize; i++) {
    const centre = (i + 0.5) * scale;
    const ss = 1 / filterScale;
    const xmin = Math.max(Math.trunc(centre - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(centre + support + 0.5), inSize) - xmin;
    let total = 0;
    for (let x = 0; x < xmax; x++) {
      const w = triangle((x + xmin - centre + 0.5) * ss);
      weights[i * taps + x] = w;
      total += w;
    }
    if (total !== 0) for (let x = 0; x < xmax; x++) weights[i * taps + x] = (weights[i * taps + x] as number) / total;
    start[i] = xmin;
    count[i] = xmax;
  }
  return { start, count, weights, taps };
}

/** Pillow's `normalize_coeffs_8bpc`: weights to fixed point, rounded half away from zero. */
function fixedPoint(weights: Float64Array): Float64Array {
  const one = 2 ** PRECISION_BITS;
  return weights.map((w) => (w < 0 ? Math.trunc(-0.5 + w * one) : Math.trunc(0.5 + w * one)));
}

function clip8(acc: number): number {
  if (acc >= 2 ** (PRECISION_BITS + 8)) return 255;
  if (acc <= 0) return 0;
  return Math.floor(acc / 2 ** PRECISION_BITS);
}

function checkSizes(what: string, width: number, height: number, channels: number, length: number, outW: number, outH: number): void {
  if (width * height * channels !== length) {
    throw new ImageError(`${what}: ${width}x${height}x${channels} pixels need ${width * height * channels} values, got ${length}`);
  }
  for (const [name, v] of [
    ['width', outW],
    ['height', outH],
  ] as const) {
    if (!(Number.isInteger(v) && v > 0)) throw new ImageError(`${what}: output ${name} must be a positive integer, got ${v}`);
  }
}

/** A HWC pixel array with its geometry. */
export interface Pixels<T extends Uint8Array | Float32Array> {
  width: number;
  height: number;
  channels: number;
  data: T;
}

type Pass = (src: Float64Array | Uint8Array | Float32Array, dst: Uint8Array | Float32Array) => void;

// One separable pass along width (horizontal) or height; `round` = Pillow's 8-bit fixed-point arithmetic.
function makePass(inW: number, inH: number, c: number, outLen: number, horizontal: boolean, round: boolean): Pass {
  const coeffs = bilinearCoefficients(horizontal ? inW : inH, outLen);
  const k = round ? fixedPoint(coeffs.weights) : coeffs.weights;
  const bias = round ? 2 ** (PRECISION_BITS - 1) : 0;
  const outW = horizontal ? outLen : inW;
  const outH = horizontal ? inH : outLen;
  // Distance in the source between successive taps.
  const tapStride = horizontal ? c : inW * c;
  return (src, dst) => {
    for (let y = 0; y < outH; y++) {
      for (let x = 0; x < outW; x++) {
        const i = horizontal ? x : y;
        const first = coeffs.start[i] as number;
        const n = coeffs.count[i] as number;
        const base = horizontal ? (y * inW + first) * c : (first * inW + x) * c;
        for (let ch = 0; ch < c; ch++) {
          let acc = bias;
          for (let t = 0; t < n; t++) acc += (src[base + t * tapStride + ch] as number) * (k[i * coeffs.taps + t] as number);
          dst[(y * outW + x) * c + ch] = round ? clip8(acc) : acc;
        }
      }
    }
  };
}

function resizeBilinear<T extends Uint8Array | Float32Array>(img: Pixels<T>, outW: number, outH: number, round: boolean, make: (n: number) => T): Pixels<T> {
  const { width, height, channels: c } = img;
  checkSizes('resize', width, height, c, img.data.length, outW, outH);
  let cur: Pixels<T> = img;
  // Pillow: a pass runs only when that axis changes size; horizontal first, rounded to the pixel type in between.
  if (outW !== width) {
    const out = make(outW * height * c);
    makePass(width, height, c, outW, true, round)(cur.data, out);
    cur = { width: outW, height, channels: c, data: out };
  }
  if (outH !== height) {
    const out = make(outW * outH * c);
    makePass(outW, height, c, outH, false, round)(cur.data, out);
    cur = { width: outW, height: outH, channels: c, data: out };
  }
  return cur === img ? { ...img, data: img.data.slice() as T } : cur;
}

/** Bit-exact Pillow `Image.resize((outW, outH), Image.BILINEAR)` of an 8-bit image. */
export function resizeBilinearBytes(img: Pixels<Uint8Array>, outW: number, outH: number): Pixels<Uint8Array> {
  return resizeBilinear(img, outW, outH, true, (n) => new Uint8Array(n));
}

/** Pillow's bilinear (antialiased) weights applied to float data, no rounding between or after passes. */
export function resizeBilinearFloat(img: Pixels<Float32Array>, outW: number, outH: number): Pixels<Float32Array> {
  return resizeBilinear(img, outW, outH, false, (n) => new Float32Array(n));
}

/** Source indices Pillow's nearest-neighbour scaling reads, for one axis. */
export function nearestIndices(inSize: number, outSize: number): Int32Array {
  const step = inSize / outSize;
  const out = new Int32Array(outSize);
  let pos = step * 0.5;
  for (let i = 0; i < outSize; i++) {
    out[i] = Math.min(Math.trunc(pos), inSize - 1);
    pos += step;
  }
  return out;
}

/** Pillow `Image.resize((outW, outH), Image.NEAREST)` (Keras `load_img(target_size=...)`'s default). */
export function resizeNearest<T extends Uint8Array | Float32Array>(img: Pixels<T>, outW: number, outH: number): Pixels<T> {
  const { width, height, channels: c } = img;
  checkSizes('resize', width, height, c, img.data.length, outW, outH);
  const xs = nearestIndices(width, outW);
  const ys = nearestIndices(height, outH);
  const out = new (img.data.constructor as new (n: number) => T)(outW * outH * c);
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const src = ((ys[y] as number) * width + (xs[x] as number)) * c;
      for (let ch = 0; ch < c; ch++) out[(y * outW + x) * c + ch] = img.data[src + ch] as number;
    }
  }
  return { width: outW, height: outH, channels: c, data: out };
}
