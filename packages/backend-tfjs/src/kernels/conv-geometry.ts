// Geometry of a 2-D convolution (NHWC, kernel [kh, kw, in, out]) as tfjs computes it, including the optional
// `dilations` attribute the replacement gradients accept (tfjs' own Conv2D gradient rejects dilation > 1).
import type * as tfc from '@tensorflow/tfjs-core';

export type Pad = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];

export interface ConvAttrs {
  strides: number | [number, number];
  pad: Pad;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dilations?: number | [number, number];
}

export interface ConvGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kh: number;
  kw: number;
  strideH: number;
  strideW: number;
  dilH: number;
  dilW: number;
  padTop: number;
  padLeft: number;
}

export function convGeometry(tf: typeof tfc, kernel: string, xShape: number[], filterShape: number[], attrs: ConvAttrs): ConvGeometry {
  if (attrs.dataFormat === 'NCHW') throw new Error(`${kernel}: dataFormat 'NCHW' is not supported (convzoo is NHWC)`);
  if (xShape.length !== 4 || filterShape.length !== 4) {
    throw new Error(`${kernel}: expected rank-4 input and filter, got [${xShape}] and [${filterShape}]`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  return {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    kh: info.filterHeight,
    kw: info.filterWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    dilH: info.dilationHeight,
    dilW: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}
