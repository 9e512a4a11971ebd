// Sliding-window arithmetic shared by shape inference and receptive-field analysis. TensorFlow semantics:
// 'valid' uses no padding and floor division; 'same' gives ceil(in / stride) outputs and splits the padding
// needed with the odd cell AFTER (bottom/right), which is why Keras and PyTorch disagree on stride-2 convs.
import type { Pair, Padding } from './fields.js';

export interface Window {
  /** Output cells along this axis. */
  out: number;
  /** Padding added before (top/left) and after (bottom/right). */
  before: number;
  after: number;
  /** Kernel extent with dilation: (k - 1) * d + 1. */
  extent: number;
}

export type Axis = 0 | 1;

/** Padding before/after along one axis (0 = height, 1 = width) for an explicit or named padding. */
export function axisPadding(padding: Padding, axis: Axis, size: number, extent: number, stride: number): [number, number] {
  if (padding === 'valid') return [0, 0];
  if (padding === 'same') {
    const out = Math.ceil(size / stride);
    const total = Math.max((out - 1) * stride + extent - size, 0);
    const before = Math.floor(total / 2);
    return [before, total - before];
  }
  return axis === 0 ? [padding.top, padding.bottom] : [padding.left, padding.right];
}

/** The window along one axis; `out` is below 1 when the kernel does not fit the padded input. */
export function slide(size: number, kernel: number, stride: number, dilation: number, padding: Padding, axis: Axis): Window {
  const extent = (kernel - 1) * dilation + 1;
  const [before, after] = axisPadding(padding, axis, size, extent, stride);
  const out = Math.floor((size + before + after - extent) / stride) + 1;
  return { out, before, after, extent };
}

/** A conv's or pool's window: what shape inference, pads and receptive fields slide. */
export interface SlidingWindow {
  kernel: Pair;
  strides: Pair;
  dilation: Pair;
  padding: Padding;
}
