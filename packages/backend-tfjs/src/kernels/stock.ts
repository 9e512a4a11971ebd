// The backend's own kernels that the replacements are built from (Conv2D, Transpose), captured when installed and
// called directly with the backend: no engine scope, no tape, every intermediate disposed here.
import type { KernelBackend, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

export interface StockKernels {
  backend: KernelBackend;
  run(name: string, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap): TensorInfo;
  dispose(t: TensorInfo): void;
}

export function stockKernels(funcs: Record<string, KernelFunc>, backend: KernelBackend): StockKernels {
  return {
    backend,
    run(name, inputs, attrs) {
      const f = funcs[name];
      if (!f) throw new Error(`convzoo kernels: the backend has no '${name}' kernel to build on`);
      const out = f({ inputs, backend, attrs });
      if (Array.isArray(out)) throw new Error(`convzoo kernels: '${name}' returned several outputs, expected one`);
      return out as TensorInfo;
    },
    dispose(t) {
      backend.disposeData(t.dataId);
    },
  };
}
