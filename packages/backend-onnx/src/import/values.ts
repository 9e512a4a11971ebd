// What an ONNX value is to the importer: a constant, an integer vector computed from shapes (Shape -> Gather ->
// Concat chains that feed Reshape), or the activation of a convzoo layer seen in some layout.
import type { Shape3 } from '@convzoo/models';
import type { ConstTensor } from './onnx-read.js';

/** Axis order of a rank-4 activation in the ONNX graph (the convzoo layer itself is always NHWC). */
export type Layout = 'nchw' | 'nhwc';

export interface ConstValue {
  kind: 'const';
  tensor: ConstTensor;
}

/** An integer vector where 'batch' stands for the (symbolic) batch size. */
export interface ShapeValue {
  kind: 'shape';
  dims: Array<number | 'batch'>;
}

interface ActivationBase {
  /** The convzoo layer whose output this value is (possibly transposed or reshaped by the ONNX graph). */
  layer: string;
  /** Every value between the layer's output and this one has a single consumer (a bias Add may fold into it). */
  exclusive: boolean;
}

/** A rank-4 activation: ONNX [N, c, h, w] (nchw) or [N, h, w, c] (nhwc); `shape` is convzoo's [h, w, c]. */
export interface ImageValue extends ActivationBase {
  kind: 'image';
  layout: Layout;
  shape: Shape3;
}

/**
 * A rank-2 activation [N, n]. `chw`: it is an NCHW image flattened in (c, h, w) order while the convzoo layer holds
 * it in (h, w, c) order, so a dense layer reading it gets its kernel rows permuted. `pooled`: the ONNX value is still
 * [N, n, 1, 1] (GlobalAveragePool before its Flatten).
 */
export interface FlatValue extends ActivationBase {
  kind: 'flat';
  size: number;
  chw?: Shape3;
  pooled?: boolean;
}

export type ActivationValue = ImageValue | FlatValue;
export type Value = ConstValue | ShapeValue | ActivationValue;

/** The ONNX dims of an activation, 'batch' first. */
export function onnxDims(v: ActivationValue): Array<number | 'batch'> {
  if (v.kind === 'flat') return v.pooled ? ['batch', v.size, 1, 1] : ['batch', v.size];
  const [h, w, c] = v.shape;
  return v.layout === 'nchw' ? ['batch', c, h, w] : ['batch', h, w, c];
}
