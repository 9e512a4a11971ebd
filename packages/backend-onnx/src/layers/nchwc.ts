// ONNX Runtime's blocked-channel convolution (operator set com.microsoft.nchwc: MLAS on x86, channels in blocks of 8
// with AVX2, 16 with AVX-512). ORT rewrites a Conv to it only where the weight is a constant, as in an exported model;
// the training graphs feed their weights as inputs, so they emit it themselves, reordering the weight in the graph.
// ResNet20's 3x3 convs at batch 128 (2 threads, onnxruntime 1.30, `python scripts/nchwc-conv.py 128 C C H`): [16, 32x32] 5.1 -> 2.7 ms,
// [32, 16x16] 3.5 -> 2.0, [64, 8x8] 2.6 -> 2.0, each with its two reorders (NCHW <-> blocked) included. A first conv
// with fewer channels than a block reads its input as it is (MLAS's NCHW-input form, the filter OIHWBo): it pays for
// large kernels (GoogLeNet's and ResNet's 7x7/2 stem, 3 -> 64 at 224x224, batch 64: 152-164 -> 96 ms) but not for 3x3
// (3 -> 16 at 32x32: 1.2 -> 1.0 ms, 3 -> 64: 2.5 -> 3.5), so 3x3 stems keep ONNX's Conv.
import type { AttrValue } from '../export/graph-builder.js';
import type { TrainCtx } from './emitter.js';

export const NCHWC_DOMAIN = 'com.microsoft.nchwc';

/** Input channels fewer than a block: the NCHW-input form, for kernels of at least this many cells. */
const NCHW_INPUT_MIN_CELLS = 25;

/**
 * Whether a convolution runs blocked: ungrouped, output channels whole blocks, and input channels whole blocks or
 * (a large kernel) fewer than one.
 */
export function nchwcFits(block: number | undefined, cin: number, filters: number, groups: number, kernelCells: number): block is number {
  if (block === undefined || block <= 1 || groups !== 1 || filters % block !== 0) return false;
  return cin % block === 0 || (cin < block && kernelCells >= NCHW_INPUT_MIN_CELLS);
}

/**
 * Conv(x, kernel[, bias]) in the blocked layout, x and the result NCHW: x reordered in, the OIHW kernel reordered to
 * [F/b, C/b, kh, kw, b (in), b (out)] (MLAS's OIHWBiBo, what ORT's own rewrite stores), the result reordered out. With
 * fewer input channels than a block, x goes in as it is and the kernel becomes [F/b, C, kh, kw, b] (OIHWBo).
 */
export function nchwcConv(
  c: TrainCtx,
  n: string,
  inputs: { x: string; kernel: string; bias?: string },
  shape: { cin: number; filters: number; kh: number; kw: number; block: number },
  attrs: Record<string, AttrValue>,
): string {
  const { cin, filters: f, kh, kw, block: b } = shape;
  const nchwInput = cin % b !== 0;
  const blocked = nchwInput
    ? c.op('Transpose', `${n}/nchwc/WT`, [c.op('Reshape', `${n}/nchwc/W5`, [inputs.kernel, c.ints([f / b, b, cin, kh, kw])])], { perm: [0, 2, 3, 4, 1] })
    : c.op('Transpose', `${n}/nchwc/WT`, [c.op('Reshape', `${n}/nchwc/W6`, [inputs.kernel, c.ints([f / b, b, cin / b, b, kh, kw])])], {
        perm: [0, 2, 4, 5, 3, 1],
      });
  const wb = c.op('Reshape', `${n}/nchwc/W`, [blocked, c.ints([f, cin, kh, kw])]);
  const xb = nchwInput ? inputs.x : c.domainOp(NCHWC_DOMAIN, 'ReorderInput', `${n}/nchwc/x`, [inputs.x], { channels_last: 0 });
  const ins = inputs.bias ? [xb, wb, inputs.bias] : [xb, wb];
  const yb = c.domainOp(NCHWC_DOMAIN, 'Conv', `${n}/nchwc/conv`, ins, attrs);
  return c.domainOp(NCHWC_DOMAIN, 'ReorderOutput', `${n}/nchwc/y`, [yb], { channels: f, channels_last: 0 });
}
