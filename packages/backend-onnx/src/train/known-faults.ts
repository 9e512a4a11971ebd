// Training graphs a runtime is known to compute wrongly are refused by name, not trained into garbage.
import type { ModelSpec } from '@convzoo/spec';

/**
 * onnxruntime-web's WebGPU kernels (Chromium, ORT 1.30) give wrong gradients below a max pool whose windows overlap
 * (the tutorial AlexNet at 67x67: every conv and BatchNorm parameter off by Adam's full step after one step, the
 * dense ones exact, while onnx-wasm in the same page and Node's onnx-webgpu run the same graph exactly). Found by
 * apps/web's train-check page; tiling pools (LeNet) and nets without max pools (resnet20) train exactly there.
 */
export function overlappingMaxPool(spec: ModelSpec): { name: string; poolSize: readonly number[]; strides: readonly number[] } | undefined {
  for (const l of spec.layers) if (l.kind === 'maxPool2d' && (l.strides[0] < l.poolSize[0] || l.strides[1] < l.poolSize[1])) return l;
  return undefined;
}
