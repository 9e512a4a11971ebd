// Conv weight gradients by im2col, shared by the plain conv emitter (conv.ts) and the phased first block
// (phased-pool.ts): the patches by a Conv with one-hot kernels, one GEMM per image (batched) and a sum over the batch.
import type { TrainCtx } from './emitter.js';

export interface Im2colWindow {
  /** Input channels, filters, kernel size. */
  cin: number;
  f: number;
  kh: number;
  kw: number;
  /** Output cells per image (Ho * Wo). */
  cells: number;
  /** The conv's own window attributes (strides, dilations, pads), when not the defaults. */
  attrs?: Record<string, number[]>;
  /**
   * Each input channel's taps by its own one-hot kernels (a Conv grouped by channel, kh*kw outputs each: 1/C of the
   * dense one-hot Conv's work, the same patches in the same order), as conv.ts unfolds x for WASM.
   */
  perChannel?: boolean;
}

/** dL/dW as [F, C*kh*kw] (row-major per filter): x [N, C, H, W], dz [N, F, Ho, Wo] (or any [N, F*Ho*Wo] view). */
export function im2colWeightGrad(
  c: TrainCtx,
  n: string,
  x: string,
  dz: string,
  { cin, f, kh, kw, cells, attrs = {}, perChannel = false }: Im2colWindow,
): string {
  const patch = cin * kh * kw;
  // Output channel q = (channel, tap) reads that channel at that tap: row q of [patch, cin*kh*kw], or of [patch, kh*kw] per channel.
  const width = perChannel ? kh * kw : patch;
  const eye = new Float32Array(patch * width);
  for (let q = 0; q < patch; q++) eye[q * width + (q % width)] = 1;
  const kernel = c.floats(`${n}/onehot`, [patch, perChannel ? 1 : cin, kh, kw], eye);
  const cols = c.op('Conv', `${n}/im2col`, [x, kernel], { kernel_shape: [kh, kw], ...attrs, ...(perChannel ? { group: cin } : {}) });
  const colsT = c.op('Transpose', `${n}/colsT`, [c.op('Reshape', `${n}/cols3`, [cols, c.ints([0, patch, cells])])], { perm: [0, 2, 1] });
  const perImage = c.op('MatMul', `${n}/dwN`, [c.op('Reshape', `${n}/dz3`, [dz, c.ints([0, f, cells])]), colsT]);
  return c.op('ReduceSum', `${n}/dwsum`, [perImage, c.ints([0])], { keepdims: 0 });
}
