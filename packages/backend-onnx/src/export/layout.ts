// Canonical (Keras, NHWC) -> ONNX (NCHW) layout of parameters.
import type { LayerKind } from '@convzoo/models';

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

/** Whether a parameter is held in ONNX's conv layout (OIHW) rather than Keras' (conv kernels only). */
export function isOihwParam(kind: LayerKind, param: string): boolean {
  return kind === 'conv2d' && param === 'kernel';
}
