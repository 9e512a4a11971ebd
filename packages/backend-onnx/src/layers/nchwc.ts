// ONNX Runtime's blocked-channel convolution (operator set com.microsoft.nchwc: MLAS on x86, channels in blocks of 8
// with AVX2, 16 with AVX-512). ORT rewrites a Conv to it only where the weight is a constant, as in an exported model;
// the training graphs feed their weights as inputs, so they emit it themselves, reordering the weight in the graph.
// ResNet20's 3x3 convs at batch 128 (2 threads, onnxruntime 1.30, `python scripts/nchwc-conv.py 128 C C H`): [16, 32x32] 5.1 -> 2.7 ms,
// [32, 16x16] 3.5 -> 2.0, [64, 8x8] 2.6 -> 2.0, each with its two reorders (NCHW <-> blocked) included. A 3-channel
// first conv gains nothing (1.2 -> 1.0 ms for 16 filters, 2.5 -> 3.5 for 64): it keeps ONNX's Conv.
import type { AttrValue } from '../export/graph-builder.js';
import type { TrainCtx } from './emitter.js';

export const NCHWC_DOMAIN = 'com.microsoft.nchwc';

/** Whether a convolution can run blocked: ungrouped, input and output channels whole blocks. */
export function nchwcFits(block: number | undefined, cin: number, filters: number, groups: number): block is number {
  return block !== undefined && block > 1 && groups === 1 && cin % block === 0 && filters % block === 0;
}

/**
 * Conv(x, kernel[, bias]) in the blocked layout, x and the result NCHW: x reordered in, the OIHW kernel reordered to
 * [F/b, C/b, kh, kw, b (in), b (out)] (MLAS's OIHWBiBo, what ORT's own rewrite stores), the result reordered out.
 */
export function nchwcConv(
  c: TrainCtx,
  n: string,
  inputs: { x: string; kernel: string; bias?: string },
  shape: { cin: number; filters: number; kh: number; kw: number; block: number },
  attrs: Record<string, AttrValue>,
): string {
  const { cin, filters: f, kh, kw, block: b } = shape;
  const w6 = c.op('Reshape', `${n}/nchwc/W6`, [inputs.kernel, c.ints([f / b, b, cin / b, b, kh, kw])]);
  const wb = c.op('Reshape', `${n}/nchwc/W`, [c.op('Transpose', `${n}/nchwc/WT`, [w6], { perm: [0, 2, 4, 5, 3, 1] }), c.ints([f, cin, kh, kw])]);
  const xb = c.domainOp(NCHWC_DOMAIN, 'ReorderInput', `${n}/nchwc/x`, [inputs.x], { channels_last: 0 });
  const ins = inputs.bias ? [xb, wb, inputs.bias] : [xb, wb];
  const yb = c.domainOp(NCHWC_DOMAIN, 'Conv', `${n}/nchwc/conv`, ins, attrs);
  return c.domainOp(NCHWC_DOMAIN, 'ReorderOutput', `${n}/nchwc/y`, [yb], { channels: f, channels_last: 0 });
}
