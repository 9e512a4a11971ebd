// Conv2D gradients as forward convolutions, so they run on the backend's fastest kernel (XNNPACK on wasm) instead
// of a scalar loop (wasm dx), a missing kernel (wasm dW) or per-element TensorBuffer reads (cpu dW).
//
//   dW[i, j, ci, co] = sum_{n, oh, ow} x[n, oh*s + i*d - pad, ow*s + j*d - pad, ci] * dy[n, oh, ow, co]
// is a convolution of x^T [ci, H, W, n] with dy^T [oh, ow, n, co] as the filter: its stride is the forward
// dilation d, its dilation the forward stride s, and its "batch" is ci.
//
//   dx = conv(dy spread by s and padded, W flipped in space with in/out swapped), dilation d.
import type * as tfc from '@tensorflow/tfjs-core';
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { convGeometry, type ConvAttrs } from './conv-geometry.js';
import type { StockKernels } from './stock.js';
import { conv2dBackpropFilterByGemm, conv2dBackpropInputByGemm } from './im2col.js';
import { computeFloat32 } from './typed.js';

type ExplicitPad = [[number, number], [number, number], [number, number], [number, number]];

type Shape4 = [number, number, number, number];
/** Which implementation a gradient uses: the cheaper one by its cost model, or one forced (tests compare them). */
export type GradientRoute = 'auto' | 'gemm' | 'conv';

/** The forward convolution's geometry, with dy checked against its output: where both gradients start. */
function gradientGeometry(tf: typeof tfc, kernel: string, xShape: number[], filterShape: number[], attrs: ConvAttrs, dy: TensorInfo) {
  const g = convGeometry(tf, kernel, xShape, filterShape, attrs);
  const want = [g.batch, g.outH, g.outW, g.outC];
  if (dy.shape.length !== 4 || dy.shape.some((v, i) => v !== want[i])) throw new Error(`${kernel}: dy has shape [${dy.shape}], expected [${want}]`);
  return g;
}

export function conv2dBackpropFilter(
  tf: typeof tfc,
  stock: StockKernels,
  x: TensorInfo,
  dy: TensorInfo,
  attrs: ConvAttrs & { filterShape: Shape4 },
  route: GradientRoute = 'auto',
): TensorInfo {
  const name = 'Conv2DBackpropFilter';
  const g = gradientGeometry(tf, name, x.shape, attrs.filterShape, attrs, dy);
  // GEMM writes a K x P patch matrix in JS; the conv route moves dy (P x co) twice. Pick the smaller.
  if (route === 'gemm' || (route === 'auto' && g.kh * g.kw * g.inC < 2 * g.outC)) {
    return conv2dBackpropFilterByGemm(stock, x, dy, g);
  }
  const dyEffH = (g.outH - 1) * g.strideH + 1;
  const dyEffW = (g.outW - 1) * g.strideW + 1;
  // Pad the far side just enough for kh x kw outputs; where x has rows no window reads, the conv yields extra
  // output rows instead, cropped below (negative padding does not exist).
  const padBottom = Math.max(0, (g.kh - 1) * g.dilH + dyEffH - g.inH - g.padTop);
  const padRight = Math.max(0, (g.kw - 1) * g.dilW + dyEffW - g.inW - g.padLeft);
  const pad: ExplicitPad = [
    [0, 0],
    [g.padTop, padBottom],
    [g.padLeft, padRight],
    [0, 0],
  ];

  // Transposed in JS: wasm's Transpose kernel walks element by element (~70 ms for LeNet's conv1 dy).
  const xT = computeFloat32(stock.backend, name, [x], [g.inC, g.inH, g.inW, g.batch], (out, [v]) => nhwcToChwn(v!, out, g.batch, g.inH * g.inW, g.inC));
  const dyT = computeFloat32(stock.backend, name, [dy], [g.outH, g.outW, g.batch, g.outC], (out, [v]) => nhwcToHwnc(v!, out, g.batch, g.outH * g.outW, g.outC));
  let conv: TensorInfo;
  try {
    conv = stock.run('Conv2D', { x: xT, filter: dyT }, {
      strides: [g.dilH, g.dilW],
      dilations: [g.strideH, g.strideW],
      pad,
      dataFormat: 'NHWC',
    } as unknown as tfc.NamedAttrMap);
  } finally {
    stock.dispose(xT);
    stock.dispose(dyT);
  }
  // conv: [ci, OH >= kh, OW >= kw, co] -> dW [kh, kw, ci, co]
  const [, OH = 0, OW = 0] = conv.shape;
  const { kh, kw, inC, outC } = g;
  try {
    return computeFloat32(stock.backend, name, [conv], [kh, kw, inC, outC], (out, [c]) => {
      for (let ci = 0; ci < inC; ci++) {
        for (let i = 0; i < kh; i++) {
          for (let j = 0; j < kw; j++) {
            const src = ((ci * OH + i) * OW + j) * outC;
            out.set(c!.subarray(src, src + outC), ((i * kw + j) * inC + ci) * outC);
          }
        }
      }
    });
  } finally {
    stock.dispose(conv);
  }
}

/** [n, hw, c] -> [c, hw, n]. */
function nhwcToChwn(src: Float32Array, dst: Float32Array, n: number, hw: number, c: number): void {
  for (let b = 0; b < n; b++) {
    for (let p = 0; p < hw; p++) {
      const s = (b * hw + p) * c;
      for (let k = 0; k < c; k++) dst[(k * hw + p) * n + b] = src[s + k]!;
    }
  }
}

/** [n, hw, c] -> [hw, n, c]: whole channel rows move, so copy them as blocks. */
function nhwcToHwnc(src: Float32Array, dst: Float32Array, n: number, hw: number, c: number): void {
  for (let b = 0; b < n; b++) {
    for (let p = 0; p < hw; p++) {
      const s = (b * hw + p) * c;
      const d = (p * n + b) * c;
      for (let k = 0; k < c; k++) dst[d + k] = src[s + k]!;
    }
  }
}

/** Places dy's rows and columns `stride` apart, shifted by (top, left), in a zeroed [n, H, W, c] (cropping). */
function spread(backend: KernelBackend, dy: TensorInfo, strideH: number, strideW: number, top: number, left: number, H: number, W: number): TensorInfo {
  const [n = 0, h = 0, w = 0, c = 0] = dy.shape;
  return computeFloat32(backend, 'Conv2DBackpropInput', [dy], [n, H, W, c], (out, [src]) => {
    for (let b = 0; b < n; b++) {
      for (let r = 0; r < h; r++) {
        const R = r * strideH + top;
        if (R < 0 || R >= H) continue;
        for (let q = 0; q < w; q++) {
          const Q = q * strideW + left;
          if (Q < 0 || Q >= W) continue;
          const s = ((b * h + r) * w + q) * c;
          out.set(src!.subarray(s, s + c), ((b * H + R) * W + Q) * c);
        }
      }
    }
  });
}

// Its signature mirrors conv2dBackpropFilter's (tfjs' inputs dy, filter vs x, dy); what the two share is gradientGeometry.
export function conv2dBackpropInput(
  tf: typeof tfc,
  stock: StockKernels,
  dy: TensorInfo,
  filter: TensorInfo,
  attrs: ConvAttrs & { inputShape: Shape4 },
  route: GradientRoute = 'auto',
): TensorInfo {
  const name = 'Conv2DBackpropInput';
  const g = gradientGeometry(tf, name, attrs.inputShape, filter.shape, attrs, dy);
  // The correlation of the padded dy touches every input pixel with the whole kernel; the GEMM + col2im route
  // only touches real patches, plus a JS scatter (~16 MACs' worth per patch element).
  const gemmCheaper = g.batch * g.outH * g.outW * (g.outC + 16) < g.batch * g.inH * g.inW * g.outC;
  if (route === 'gemm' || (route === 'auto' && gemmCheaper)) {
    return conv2dBackpropInputByGemm(stock, dy, filter, g);
  }
  const { kh, kw, inC, outC } = g;
  // W'[i, j, co, ci] = W[kh-1-i, kw-1-j, ci, co]
  const wT = computeFloat32(stock.backend, name, [filter], [kh, kw, outC, inC], (out, [w]) => {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const src = ((kh - 1 - i) * kw + (kw - 1 - j)) * inC * outC;
        const dst = (i * kw + j) * outC * inC;
        for (let ci = 0; ci < inC; ci++) {
          for (let co = 0; co < outC; co++) out[dst + co * inC + ci] = w![src + ci * outC + co]!;
        }
      }
    }
  });
  const dyEffH = (g.outH - 1) * g.strideH + 1;
  const dyEffW = (g.outW - 1) * g.strideW + 1;
  const top = (kh - 1) * g.dilH - g.padTop;
  const left = (kw - 1) * g.dilW - g.padLeft;
  const bottom = g.inH - dyEffH - top + (kh - 1) * g.dilH;
  const right = g.inW - dyEffW - left + (kw - 1) * g.dilW;
  const convAttrs = { strides: [1, 1], dilations: [g.dilH, g.dilW], dataFormat: 'NHWC' };
  try {
    if (g.strideH === 1 && g.strideW === 1 && top >= 0 && left >= 0 && bottom >= 0 && right >= 0) {
      const pad: ExplicitPad = [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ];
      return stock.run('Conv2D', { x: dy, filter: wT }, { ...convAttrs, pad } as unknown as tfc.NamedAttrMap);
    }
    const H = top + dyEffH + bottom;
    const W = left + dyEffW + right;
    const spreadDy = spread(stock.backend, dy, g.strideH, g.strideW, top, left, H, W);
    try {
      return stock.run('Conv2D', { x: spreadDy, filter: wT }, { ...convAttrs, pad: 'valid' } as unknown as tfc.NamedAttrMap);
    } finally {
      stock.dispose(spreadDy);
    }
  } finally {
    stock.dispose(wT);
  }
}
