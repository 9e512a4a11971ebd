// The input gradient of a convolution as GEMM + col2im, for shapes where the full correlation of the padded dy
// would do much more work (small images with large kernels, strided convs): dcol = dy [P, co] x W^T [co, K] on the
// backend's BatchMatMul (XNNPACK on wasm), then each patch gradient is added back where the patch was read, in JS
// over typed arrays. Work is chunked over the batch so a patch matrix never exceeds patchLimits.chunkFloats.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { ConvGeometry } from './conv-geometry.js';
import type { StockKernels } from './stock.js';
import { computeFloat32 } from './typed.js';

/** Largest patch matrix (floats) built at once; tests lower it to exercise the chunking. */
export const patchLimits = { chunkFloats: 8 * 1024 * 1024 };

function imagesPerChunk(g: ConvGeometry): number {
  const perImage = g.outH * g.outW * g.kh * g.kw * g.inC;
  return Math.max(1, Math.min(g.batch, Math.floor(patchLimits.chunkFloats / perImage)));
}

/**
 * Adds each patch-gradient row of `col` (images [n0, n1), [rows, kh*kw*ci]) back into dx where the patch was read.
 * Loops written out (no per-tap callback): this is the hot JS part of the route.
 */
function col2im(g: ConvGeometry, col: Float32Array, dx: Float32Array, n0: number, n1: number): void {
  const { kh, kw, inC, inH, inW, outH, outW, strideH, strideW, dilH, dilW, padTop, padLeft } = g;
  const K = kh * kw * inC;
  let src = 0;
  for (let b = n0; b < n1; b++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++, src += K) {
        for (let i = 0; i < kh; i++) {
          const ih = oh * strideH + i * dilH - padTop;
          if (ih < 0 || ih >= inH) continue;
          const rowBase = (b * inH + ih) * inW;
          for (let j = 0; j < kw; j++) {
            const iw = ow * strideW + j * dilW - padLeft;
            if (iw < 0 || iw >= inW) continue;
            const d = (rowBase + iw) * inC;
            const s = src + (i * kw + j) * inC;
            for (let c = 0; c < inC; c++) dx[d + c] = dx[d + c]! + col[s + c]!;
          }
        }
      }
    }
  }
}

/** Rows [n0, n1) of dy as a [rows, co] matrix (a view-free copy only when the batch is split). */
function dyRows(stock: StockKernels, dy: TensorInfo, g: ConvGeometry, n0: number, n1: number): TensorInfo {
  const rowsPerImage = g.outH * g.outW;
  if (n0 === 0 && n1 === g.batch) return stock.run('Reshape', { x: dy }, { shape: [g.batch * rowsPerImage, g.outC] });
  return computeFloat32(stock.backend, 'Conv2DBackpropInput', [dy], [(n1 - n0) * rowsPerImage, g.outC], (out, [v]) =>
    out.set(v!.subarray(n0 * rowsPerImage * g.outC, n1 * rowsPerImage * g.outC)),
  );
}

/** dx = col2im(dy [P, co] x W^T [co, K]): every patch gradient added back where the patch came from. */
export function conv2dBackpropInputByGemm(stock: StockKernels, dy: TensorInfo, filter: TensorInfo, g: ConvGeometry): TensorInfo {
  const name = 'Conv2DBackpropInput';
  const K = g.kh * g.kw * g.inC;
  const wT = computeFloat32(stock.backend, name, [filter], [g.outC, K], (out, [w]) => {
    for (let k = 0; k < K; k++) for (let co = 0; co < g.outC; co++) out[co * K + k] = w![k * g.outC + co]!;
  });
  const per = imagesPerChunk(g);
  const cols: Array<{ n0: number; n1: number; col: TensorInfo }> = [];
  try {
    for (let n0 = 0; n0 < g.batch; n0 += per) {
      const n1 = Math.min(g.batch, n0 + per);
      const rows = dyRows(stock, dy, g, n0, n1);
      try {
        cols.push({ n0, n1, col: stock.run('BatchMatMul', { a: rows, b: wT }, { transposeA: false, transposeB: false }) });
      } finally {
        stock.dispose(rows);
      }
    }
    return computeFloat32(
      stock.backend,
      name,
      cols.map((c) => c.col),
      [g.batch, g.inH, g.inW, g.inC],
      (dx, views) => {
        cols.forEach(({ n0, n1 }, k) => col2im(g, views[k]!, dx, n0, n1));
      },
    );
  } finally {
    stock.dispose(wT);
    for (const c of cols) stock.dispose(c.col);
  }
}

/** Patches of images [n0, n1) transposed: colT [kh*kw*ci, rows], zero where a tap falls in the padding. */
function im2colT(g: ConvGeometry, xv: Float32Array, out: Float32Array, n0: number, n1: number): void {
  const { kh, kw, inC, inH, inW, outH, outW, strideH, strideW, dilH, dilW, padTop, padLeft } = g;
  const rows = (n1 - n0) * outH * outW;
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      for (let c = 0; c < inC; c++) {
        const line = ((i * kw + j) * inC + c) * rows;
        let r = 0;
        for (let b = n0; b < n1; b++) {
          for (let oh = 0; oh < outH; oh++) {
            const ih = oh * strideH + i * dilH - padTop;
            if (ih < 0 || ih >= inH) {
              r += outW;
              continue;
            }
            const rowBase = (b * inH + ih) * inW;
            for (let ow = 0; ow < outW; ow++, r++) {
              const iw = ow * strideW + j * dilW - padLeft;
              if (iw >= 0 && iw < inW) out[line + r] = xv[(rowBase + iw) * inC + c]!;
            }
          }
        }
      }
    }
  }
}

/**
 * dW = im2col(x)^T [K, P] x dy [P, co]: dy is used as it lies (no transposes). Cheaper than the dW-as-conv route
 * when the patch matrix is small next to dy (few input channels, LeNet's first layer): that route transposes dy
 * and has the backend repack it as a conv filter on every call.
 */
export function conv2dBackpropFilterByGemm(stock: StockKernels, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const name = 'Conv2DBackpropFilter';
  const K = g.kh * g.kw * g.inC;
  const per = imagesPerChunk(g);
  const parts: TensorInfo[] = [];
  try {
    for (let n0 = 0; n0 < g.batch; n0 += per) {
      const n1 = Math.min(g.batch, n0 + per);
      const colT = computeFloat32(stock.backend, name, [x], [K, (n1 - n0) * g.outH * g.outW], (out, [xv]) => im2colT(g, xv!, out, n0, n1));
      const rows = dyRows(stock, dy, g, n0, n1);
      try {
        parts.push(stock.run('BatchMatMul', { a: colT, b: rows }, { transposeA: false, transposeB: false }));
      } finally {
        stock.dispose(colT);
        stock.dispose(rows);
      }
    }
    return computeFloat32(stock.backend, name, parts, [g.kh, g.kw, g.inC, g.outC], (out, views) => {
      for (const v of views) for (let k = 0; k < out.length; k++) out[k] = out[k]! + v[k]!;
    });
  } finally {
    for (const p of parts) stock.dispose(p);
  }
}
