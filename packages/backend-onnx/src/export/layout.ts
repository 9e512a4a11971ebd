// Canonical (Keras, NHWC) -> ONNX (NCHW) layout conversions and TensorFlow's padding arithmetic.
import type { Padding } from '@convzoo/spec';

/** Conv kernel [kh, kw, in, out] (Keras) -> [out, in, kh, kw] (ONNX OIHW). */
export function hwioToOihw(kernel: Float32Array, shape: readonly number[]): Float32Array {
  const [kh, kw, ci, co] = shape as [number, number, number, number];
  const out = new Float32Array(kernel.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < ci; i++) {
        const src = ((y * kw + x) * ci + i) * co;
        for (let o = 0; o < co; o++) out[((o * ci + i) * kh + y) * kw + x] = kernel[src + o]!;
      }
    }
  }
  return out;
}

/**
 * Padding before/after along one axis with TensorFlow semantics: 'same' gives ceil(size / stride) outputs and puts
 * the odd cell AFTER. ONNX's auto_pad SAME_UPPER agrees only for some shapes, so pads are always written out.
 */
export function axisPads(padding: Padding, axis: 0 | 1, size: number, kernel: number, stride: number, dilation: number): [number, number] {
  if (padding === 'valid') return [0, 0];
  if (padding === 'same') {
    const extent = (kernel - 1) * dilation + 1;
    const total = Math.max((Math.ceil(size / stride) - 1) * stride + extent - size, 0);
    const before = Math.floor(total / 2);
    return [before, total - before];
  }
  return axis === 0 ? [padding.top, padding.bottom] : [padding.left, padding.right];
}

/** ONNX `pads` for a 2-D window: [top, left, bottom, right]. */
export function onnxPads(padding: Padding, [h, w]: readonly number[], kernel: readonly number[], strides: readonly number[], dilation: readonly number[]): number[] {
  const [top, bottom] = axisPads(padding, 0, h!, kernel[0]!, strides[0]!, dilation[0]!);
  const [left, right] = axisPads(padding, 1, w!, kernel[1]!, strides[1]!, dilation[1]!);
  return [top, left, bottom, right];
}
