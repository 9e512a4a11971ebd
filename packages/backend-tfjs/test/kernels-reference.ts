// Float64 reference gradients written from the definitions, and helpers shared by the kernel tests.

export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

export function randomArray(n: number, rand: () => number): Float32Array {
  return Float32Array.from({ length: n }, () => rand() * 2);
}

export interface ConvCase {
  name: string;
  x: [number, number, number, number];
  k: [number, number, number, number];
  strides: [number, number];
  dilations: [number, number];
  pad: 'valid' | 'same' | [[number, number], [number, number], [number, number], [number, number]];
}

/** Output size and top/left padding exactly as TensorFlow defines them. */
export function geometry(c: ConvCase) {
  const [, H, W] = c.x;
  const [kh, kw] = c.k;
  const [sh, sw] = c.strides;
  const [dh, dw] = c.dilations;
  const ekh = (kh - 1) * dh + 1;
  const ekw = (kw - 1) * dw + 1;
  if (c.pad === 'valid') {
    return { outH: Math.ceil((H - ekh + 1) / sh), outW: Math.ceil((W - ekw + 1) / sw), top: 0, left: 0 };
  }
  if (c.pad === 'same') {
    const outH = Math.ceil(H / sh);
    const outW = Math.ceil(W / sw);
    const padH = Math.max(0, (outH - 1) * sh + ekh - H);
    const padW = Math.max(0, (outW - 1) * sw + ekw - W);
    return { outH, outW, top: Math.floor(padH / 2), left: Math.floor(padW / 2) };
  }
  const [[,], [t, b], [l, r]] = c.pad;
  return {
    outH: Math.floor((H + t + b - ekh) / sh) + 1,
    outW: Math.floor((W + l + r - ekw) / sw) + 1,
    top: t,
    left: l,
  };
}

/** Calls f(n, oh, ow, i, j, ih, iw) for every (output pixel, kernel tap) that reads an in-bounds input. */
function forEachTap(c: ConvCase, f: (n: number, oh: number, ow: number, i: number, j: number, ih: number, iw: number) => void) {
  const [N, H, W] = c.x;
  const [kh, kw] = c.k;
  const g = geometry(c);
  for (let n = 0; n < N; n++)
    for (let oh = 0; oh < g.outH; oh++)
      for (let ow = 0; ow < g.outW; ow++)
        for (let i = 0; i < kh; i++)
          for (let j = 0; j < kw; j++) {
            const ih = oh * c.strides[0] + i * c.dilations[0] - g.top;
            const iw = ow * c.strides[1] + j * c.dilations[1] - g.left;
            if (ih >= 0 && ih < H && iw >= 0 && iw < W) f(n, oh, ow, i, j, ih, iw);
          }
}

export function refConvGrads(c: ConvCase, x: Float32Array, w: Float32Array, dy: Float32Array) {
  const [, H, W, ci] = c.x;
  const [, kw, , co] = c.k;
  const g = geometry(c);
  const dW = new Float64Array(w.length);
  const dx = new Float64Array(x.length);
  forEachTap(c, (n, oh, ow, i, j, ih, iw) => {
    const xo = ((n * H + ih) * W + iw) * ci;
    const yo = ((n * g.outH + oh) * g.outW + ow) * co;
    const wo = (i * kw + j) * ci * co;
    for (let a = 0; a < ci; a++)
      for (let b = 0; b < co; b++) {
        dW[wo + a * co + b]! += x[xo + a]! * dy[yo + b]!;
        dx[xo + a]! += w[wo + a * co + b]! * dy[yo + b]!;
      }
  });
  return { dW, dx };
}

/** max |a - b| / max |b|: one scale for the whole tensor, as fp32 accumulation error scales with it. */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / (scale || 1);
}
