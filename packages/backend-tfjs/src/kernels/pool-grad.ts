// Pooling gradients over typed arrays. MaxPoolGrad starts each window's max search at its first in-bounds value
// (tfjs-backend-wasm 4.22 starts at FLT_MIN, the smallest positive float, so all-negative windows lose their
// gradient); ties go to the first maximum in row-major window order, as in TensorFlow. Channels are the inner
// loop so every read is contiguous.
import type * as tfc from '@tensorflow/tfjs-core';
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { computeFloat32 } from './typed.js';

export interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tfc.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function poolInfo(tf: typeof tfc, kernel: string, xShape: number[], attrs: PoolAttrs) {
  if (xShape.length !== 4) throw new Error(`${kernel}: expected a rank-4 input, got [${xShape}]`);
  return tf.backend_util.computePool2DInfo(xShape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
}

/** One pooling window: its in-bounds input rows [h0, h1) and columns [w0, w1) of image b, and dy's offset for it. */
interface PoolWindow {
  b: number;
  h0: number;
  h1: number;
  w0: number;
  w1: number;
  gBase: number;
}

/** Visits every non-empty window of the pooling, in output order (the walk both gradients share). */
function forEachWindow(p: tfc.backend_util.Conv2DInfo, visit: (win: PoolWindow) => void): void {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = p;
  const { filterHeight: FH, filterWidth: FW, strideHeight: SH, strideWidth: SW } = p;
  const win: PoolWindow = { b: 0, h0: 0, h1: 0, w0: 0, w1: 0, gBase: 0 };
  for (let b = 0; b < N; b++) {
    win.b = b;
    for (let oh = 0; oh < OH; oh++) {
      win.h0 = Math.max(0, oh * SH - p.padInfo.top);
      win.h1 = Math.min(H, oh * SH - p.padInfo.top + FH);
      for (let ow = 0; ow < OW; ow++) {
        win.w0 = Math.max(0, ow * SW - p.padInfo.left);
        win.w1 = Math.min(W, ow * SW - p.padInfo.left + FW);
        if (win.h0 >= win.h1 || win.w0 >= win.w1) continue;
        win.gBase = ((b * OH + oh) * OW + ow) * C;
        visit(win);
      }
    }
  }
}

export function maxPoolGrad(tf: typeof tfc, backend: KernelBackend, dy: TensorInfo, x: TensorInfo, attrs: PoolAttrs): TensorInfo {
  const p = poolInfo(tf, 'MaxPoolGrad', x.shape, attrs);
  const { inHeight: H, inWidth: W, inChannels: C } = p;
  const best = new Float32Array(C);
  const at = new Int32Array(C);
  return computeFloat32(backend, 'MaxPoolGrad', [dy, x], x.shape, (dx, [g, xv]) =>
    forEachWindow(p, ({ b, h0, h1, w0, w1, gBase }) => {
      let first = true;
      for (let h = h0; h < h1; h++) {
        for (let w = w0; w < w1; w++) {
          const base = ((b * H + h) * W + w) * C;
          if (first) {
            for (let c = 0; c < C; c++) {
              best[c] = xv![base + c]!;
              at[c] = base + c;
            }
            first = false;
            continue;
          }
          for (let c = 0; c < C; c++) {
            const v = xv![base + c]!;
            if (v > best[c]!) {
              best[c] = v;
              at[c] = base + c;
            }
          }
        }
      }
      for (let c = 0; c < C; c++) {
        const i = at[c]!;
        dx[i] = dx[i]! + g![gBase + c]!;
      }
    }),
  );
}

/** Each window spreads dy evenly over its in-bounds inputs: the divisor the forward average used. */
export function avgPoolGrad(tf: typeof tfc, backend: KernelBackend, dy: TensorInfo, x: TensorInfo, attrs: PoolAttrs): TensorInfo {
  const p = poolInfo(tf, 'AvgPoolGrad', x.shape, attrs);
  const { inHeight: H, inWidth: W, inChannels: C } = p;
  return computeFloat32(backend, 'AvgPoolGrad', [dy], x.shape, (dx, [g]) =>
    forEachWindow(p, ({ b, h0, h1, w0, w1, gBase }) => {
      const count = (h1 - h0) * (w1 - w0);
      for (let h = h0; h < h1; h++) {
        for (let w = w0; w < w1; w++) {
          const base = ((b * H + h) * W + w) * C;
          for (let c = 0; c < C; c++) dx[base + c] = dx[base + c]! + g![gBase + c]! / count;
        }
      }
    }),
  );
}
