// Canonical (Keras, NHWC) -> ONNX (NCHW) layout conversions, and spec's padding written as ONNX pads.
import { axisPadding, type Axis, type Padding } from '@convzoo/models';

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
 * ONNX `pads` for a 2-D window, [top, left, bottom, right], from spec's TensorFlow padding rule ('same' puts the odd
 * cell AFTER; ONNX's auto_pad SAME_UPPER agrees only for some shapes, so pads are always written out).
 */
export function onnxPads(
  padding: Padding,
  [h, w]: readonly number[],
  kernel: readonly number[],
  strides: readonly number[],
  dilation: readonly number[],
): number[] {
  const extent = (axis: Axis) => (kernel[axis]! - 1) * dilation[axis]! + 1;
  const [top, bottom] = axisPadding(padding, 0, h!, extent(0), strides[0]!);
  const [left, right] = axisPadding(padding, 1, w!, extent(1), strides[1]!);
  return [top, left, bottom, right];
}
