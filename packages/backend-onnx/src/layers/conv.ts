// conv2d: forward (Conv and its fused activation, or the phased first block) and backward (dx by ConvTranspose or
// MatMul + Col2Im, dW by im2col, a 3-D Conv or a 2-D Conv over transposed tensors).
import type { FeatureShape, LayerOf, WindowPads } from '@convzoo/models';
import { im2colWeightGrad } from './im2col.js';
import { nchwcConv, nchwcFits } from './nchwc.js';
import { phasedConvBackward, phasedConvForward } from './phased-pool.js';
import { activate, activationGrad } from './activation.js';
import {
  type BackwardArgs,
  type BackwardResult,
  type LayerFamily,
  NCHW_SPATIAL,
  type TrainCtx,
  onnxPadsAttr,
  windowOutSize,
  type ForwardResult,
} from './emitter.js';

type ConvLayer = LayerOf<'conv2d'>;
type ConvGeometry = ReturnType<typeof convGeometry>;

function convGeometry(layer: ConvLayer, inShape: FeatureShape, resolved: WindowPads | undefined) {
  const [kh, kw] = layer.kernelSize;
  const [sh, sw] = layer.strides;
  const [dh, dw] = layer.dilation;
  const [h, w, cin] = inShape as [number, number, number];
  const pads = onnxPadsAttr(layer.name, resolved);
  const [pt, pl, pb, pr] = pads;
  const ho = windowOutSize(h, kh, sh, dh, pt, pb);
  const wo = windowOutSize(w, kw, sw, dw, pl, pr);
  return { kh, kw, sh, sw, dh, dw, h, w, cin, f: layer.filters, g: layer.groups, pads, pt, pl, pb, pr, ho, wo };
}

/** dx of a stride-1 convolution as a Conv of dz with W's spatially flipped transpose ([C, F/g, kh, kw] per group). */
function convDxByFlippedConv(c: TrainCtx, a: BackwardArgs, geo: ConvGeometry, dz: string, kernel: string, n: string, pads: number[]): string {
  const { kh, kw, dh, dw, cin, f, g } = geo;
  const swapped =
    g === 1
      ? c.op('Transpose', `${n}/WT`, [kernel], { perm: [1, 0, 2, 3] })
      : c.op('Reshape', `${n}/WT`, [
          c.op('Transpose', `${n}/WgT`, [c.op('Reshape', `${n}/Wg`, [kernel, c.ints([g, f / g, cin / g, kh, kw])])], { perm: [0, 2, 1, 3, 4] }),
          c.ints([cin, f / g, kh, kw]),
        ]);
  const end = -(2 ** 31);
  const flipped = c.op('Slice', `${n}/Wflip`, [swapped, c.ints([-1, -1]), c.ints([end, end]), c.ints([2, 3]), c.ints([-1, -1])]);
  const attrs = { kernel_shape: [kh, kw], dilations: [dh, dw], group: g, pads };
  if (nchwcFits(a.nchwcBlock, f, cin, g, kh * kw))
    return nchwcConv(c, `${n}/dx`, { x: dz, kernel: flipped }, { cin: f, filters: cin, kh, kw, block: a.nchwcBlock }, attrs);
  return c.op('Conv', `${n}/dx`, [dz, flipped], attrs);
}

/** dL/dx of a convolution: its transpose applied to dz. */
function convDx(c: TrainCtx, a: BackwardArgs, geo: ConvGeometry, dz: string, kernel: string, n: string): string {
  const { kh, kw, sh, sw, dh, dw, h, w, cin, f, g, pads, pt, pl, pb, pr, ho, wo } = geo;
  const window = { dilations: [dh, dw], pads, strides: [sh, sw] };
  // Stride 1: dx is itself a convolution, of dz with the kernel flipped in space and its in/out channels swapped,
  // padded by the kernel's reach minus the forward padding. ORT runs it as it runs the forward Conv (im2col per image,
  // in cache, on all threads): in ResNet20 b128's profile, Col2Im's 92 ms (on one thread) and ~95 ms of MatMuls
  // became 66 ms more of Conv (4.2-7.0 ms a layer); the step 800 -> 548 ms (scripts/profile-train.ts, 2 threads).
  // Only where the map keeps its size: for a 'valid' conv the flipped one runs over the whole padded map, (H*W)/(Ho*Wo)
  // the work (LeNet's conv2 dx 11.7 ms under the profiler; the step 38.5 against 30.1 ms, sessions in turn).
  const reach = [(kh - 1) * dh - pt, (kw - 1) * dw - pl, (kh - 1) * dh - pb, (kw - 1) * dw - pr];
  // (Same size at stride 1 means pt + pb = (kh - 1) * dh, so every reach is >= 0.)
  if (a.col2im && sh === 1 && sw === 1 && ho === h && wo === w) return convDxByFlippedConv(c, a, geo, dz, kernel, n, reach);
  if (a.col2im && g === 1) {
    // ConvTranspose's own algorithm in two ops: per image the GEMM Wᵀ·dz ([C*kh*kw, F] x [F, Ho*Wo]) as one batched
    // MatMul, then Col2Im adds the blocks back. ORT's CPU ConvTranspose runs those GEMMs image by image (K = F is
    // small): LeNet's conv2 dx 4.7 -> 4.1 ms, Col2Im's 1.8 of it single-threaded.
    const wt = c.op('Transpose', `${n}/WT`, [c.op('Reshape', `${n}/W2`, [kernel, c.ints([f, cin * kh * kw])])], { perm: [1, 0] });
    const cols = c.op('MatMul', `${n}/cols`, [wt, c.op('Reshape', `${n}/dz3`, [dz, c.ints([0, f, ho * wo])])]);
    return c.op('Col2Im', `${n}/dx`, [cols, c.ints([h, w]), c.ints([kh, kw])], window);
  }
  const oph = h - (sh * (ho - 1) + (kh - 1) * dh + 1 - pt - pb);
  const opw = w - (sw * (wo - 1) + (kw - 1) * dw + 1 - pl - pr);
  return c.op('ConvTranspose', `${n}/dx`, [dz, kernel], { kernel_shape: [kh, kw], group: g, output_padding: [oph, opw], ...window });
}

/**
 * dW one kernel tap at a time: dW[:, :, i, j] = sum over n of dz_n [F, Ho*Wo] x (x_n shifted by the tap)ᵀ [Ho*Wo, C],
 * the shifted x a strided Slice of the padded input. N small GEMMs per tap, which ORT spreads over the threads, where
 * the 3-D Conv's im2col (Im2colNd, 9x the input) runs on one. For large maps: ResNet20 stage 1 (x and dz
 * [128, 16, 32, 32]) 3-D Conv 37-50 ms CPU per layer, this 23-29 ms; stage 2 (16x16) 22.6 against 16.4; at 8x8 the
 * per-image GEMMs are too short (15.6 against 15.6-21.3), so the 3-D Conv stays there. Measured on 2 cores at load
 * 18-20 (onnxruntime 1.30, 2 intra-op threads). The whole ResNet20 step (batch 128, 5 alternating runs each):
 * 1,181 -> 1,077 ms CPU; taking 8x8 maps this way too gave 1,085.
 */
function shiftedDw(c: TrainCtx, geo: ConvGeometry, x: string, dz: string, n: string): string {
  const { kh, kw, sh, sw, dh, dw, cin, f, pt, pl, pb, pr, ho, wo } = geo;
  const xp = pt + pl + pb + pr ? c.op('Pad', `${n}/xpad`, [x, c.ints([0, 0, pt, pl, 0, 0, pb, pr])]) : x;
  const dz3 = c.op('Reshape', `${n}/dz3`, [dz, c.ints([0, f, ho * wo])]);
  const taps: string[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const t = `${n}/tap${i}${j}`;
      const start = [i * dh, j * dw];
      const end = [start[0]! + (ho - 1) * sh + 1, start[1]! + (wo - 1) * sw + 1];
      const shifted = c.op('Slice', `${t}/x`, [xp, c.ints(start), c.ints(end), c.ints([2, 3]), c.ints([sh, sw])]);
      const xT = c.op('Transpose', `${t}/xT`, [c.op('Reshape', `${t}/x3`, [shifted, c.ints([0, cin, ho * wo])])], { perm: [0, 2, 1] });
      taps.push(c.op('ReduceSum', `${t}/dw`, [c.op('MatMul', `${t}/dwN`, [dz3, xT]), c.ints([0])], { keepdims: 1 }));
    }
  }
  // taps: kh*kw of [1, F, C] -> [kh*kw, F, C] -> [F, C, kh*kw] -> [F, C, kh, kw]
  const stacked = c.op('Transpose', `${n}/dwT`, [c.op('Concat', `${n}/taps`, taps, { axis: 0 })], { perm: [1, 2, 0] });
  return c.op('Reshape', `${n}/dw`, [stacked, c.ints([f, cin, kh, kw])]);
}

/**
 * dL/dW of a convolution: the correlation of x with dz, summed over the batch. Small kernels on large maps tap by tap
 * (or, for WASM, unfolded by a per-channel im2col), other first layers by im2col, the rest by one 3-D or 2-D Conv:
 * by what the runtime runs fastest; all give [F, C/g, kh, kw].
 */
function convDw(c: TrainCtx, a: BackwardArgs, geo: ConvGeometry, x: string, dz: string, n: string): string {
  const { kh, kw, sh, sw, dh, dw, h, w, cin, f, g, pads, pt, pl, pb, pr, ho, wo } = geo;
  const patch = cin * kh * kw;
  const byTaps = a.dw3d && g === 1 && kh * kw <= 9 && ho * wo >= 256;
  // Stride 1 by taps (or unfolded) even with few input channels: resnet20's stem (3 -> 16, 32x32) and vgg11_bn's
  // first conv (3 -> 64) measured faster that way than by the one-hot im2col below (sessions in turn, batch 128:
  // resnet20 529 -> 495 and 531 -> 518 ms/step, CPU -50 ms; vgg11_bn 1,848 -> 1,772 ms, CPU 3,303 -> 3,026).
  const attrs = { strides: [sh, sw], dilations: [dh, dw], pads };
  const byIm2col = (perChannel: boolean) =>
    c.op('Reshape', `${n}/dw`, [im2colWeightGrad(c, n, x, dz, { cin, f, kh, kw, cells: ho * wo, attrs, perChannel }), c.ints([f, cin, kh, kw])]);
  // WASM with threads unfolds x by a Conv grouped by channel (the taps' Slice copies on one thread there). That costs
  // the CPU EP more CPU time than the taps for about the same wall time (resnet20 b128, graphs in turn: 511 against 514
  // ms, CPU 948 against 884; vgg11_bn 1,473 against 1,495; googlenet 4,874 against 4,706).
  const small = () => (a.dwUnfold ? byIm2col(true) : shiftedDw(c, geo, x, dz, n));
  if (byTaps && sh === 1 && sw === 1) return small();
  if (g === 1 && patch <= 2 * f) {
    // Few input channels (a first layer): im2col by a Conv with one-hot kernels, then one GEMM per image
    // ([F, Ho*Wo] x [Ho*Wo, C*kh*kw], batched) and a sum over the batch. The correlation forms below are one GEMM
    // with F x C*kh*kw outputs over a long K, which MLAS runs on one thread (LeNet's conv1 dW 2.3 -> 1.7 ms). The
    // one-hot Conv costs C*kh*kw/F times the GEMM, hence the bound.
    return byIm2col(false);
  }
  if (byTaps) return small();
  const xs = g === 1 ? [x] : c.ops('Split', `${n}/xsplit`, [x], g, { axis: 1, num_outputs: g });
  const dzs = g === 1 ? [dz] : c.ops('Split', `${n}/dzsplit`, [dz], g, { axis: 1, num_outputs: g });
  // The window of x that dz's [Ho, Wo] kernel sweeps (strides and dilations swap roles); cropped to kh x kw.
  const khx = Math.floor((h + pt + pb - ((ho - 1) * sh + 1)) / dh) + 1;
  const kwx = Math.floor((w + pl + pr - ((wo - 1) * sw + 1)) / dw) + 1;
  const crop = (r: string, gi: number) =>
    khx !== kh || kwx !== kw ? c.op('Slice', `${n}/dwcrop${gi}`, [r, c.ints([0, 0]), c.ints([kh, kw]), c.ints([2, 3])]) : r;
  const parts = xs.map((xg, gi) => {
    const dzT = c.op('Transpose', `${n}/dzT${gi}`, [dzs[gi]!], { perm: [1, 0, 2, 3] });
    if (!a.dw3d) {
      // A Conv over [C, N, H, W] with [F, N, Ho, Wo] as the kernel, then back to [F, C/g, kh, kw].
      const xT = c.op('Transpose', `${n}/xT${gi}`, [xg], { perm: [1, 0, 2, 3] });
      const r = c.op('Conv', `${n}/dw${gi}`, [xT, dzT], { kernel_shape: [ho, wo], strides: [dh, dw], dilations: [sh, sw], pads });
      return c.op('Transpose', `${n}/dwT${gi}`, [crop(r, gi)], { perm: [1, 0, 2, 3] });
    }
    // A 3-D Conv with the channels as a depth axis: x viewed as [1, N, C, H, W] (no copy), dz as the
    // [F, N, 1, Ho, Wo] kernel; one GEMM over (N, Ho, Wo) gives [1, F, C, kh, kw], already dW's layout.
    const r5 = c.op('Conv', `${n}/dw${gi}`, [c.op('Unsqueeze', `${n}/x5${gi}`, [xg, c.ints([0])]), c.op('Unsqueeze', `${n}/dz5${gi}`, [dzT, c.ints([2])])], {
      kernel_shape: [1, ho, wo],
      strides: [1, dh, dw],
      dilations: [1, sh, sw],
      pads: [0, pt, pl, 0, pb, pr],
    });
    return crop(c.op('Squeeze', `${n}/dw4${gi}`, [r5, c.ints([0])]), gi);
  });
  return parts.length === 1 ? parts[0]! : c.op('Concat', `${n}/dw`, parts, { axis: 0 });
}

export const CONV_FAMILY: LayerFamily<'conv2d'> = {
  forward: {
    conv2d(layer, c, a, { x, inShape, n, p }): ForwardResult {
      if (a.phased) return phasedConvForward(c, layer, x, inShape, p);
      const [kh, kw] = layer.kernelSize;
      const ins = [x, p('kernel')];
      if (layer.useBias) ins.push(p('bias'));
      const attrs = {
        kernel_shape: [kh, kw],
        strides: [...layer.strides],
        dilations: [...layer.dilation],
        group: layer.groups,
        pads: onnxPadsAttr(n, a.pads),
      };
      const cin = inShape[2]!;
      const z =
        c.graph === 'training' && nchwcFits(a.nchwcBlock, cin, layer.filters, layer.groups, kh * kw)
          ? nchwcConv(
              c as TrainCtx,
              n,
              { x, kernel: p('kernel'), bias: layer.useBias ? p('bias') : undefined },
              { cin, filters: layer.filters, kh, kw, block: a.nchwcBlock },
              attrs,
            )
          : c.op('Conv', `${n}/conv`, ins, attrs, 'layer');
      return { output: activate(c, layer.activation, z, n, 4), saved: {} };
    },
  },
  backward: {
    conv2d(layer, c, a, { dy, x, inShape, n, p, needX }): BackwardResult {
      const dz = a.reluApplied ? dy : activationGrad(c, layer.activation, a.output, dy, n, 4);
      if (a.phased) return { dx: [], params: a.trainable ? phasedConvBackward(c, layer, dz, a.saved.xs!, inShape, n) : {} };
      const geo = convGeometry(layer, inShape, a.pads);
      const result: BackwardResult = { dx: [needX ? convDx(c, a, geo, dz, p('kernel'), n) : undefined] };
      if (a.trainable) {
        result.params = { kernel: convDw(c, a, geo, x, dz, n) };
        if (layer.useBias) result.params.bias = c.op('ReduceSum', `${n}/db`, [dz, c.ints(NCHW_SPATIAL)], { keepdims: 0 });
      }
      return result;
    },
  },
};
