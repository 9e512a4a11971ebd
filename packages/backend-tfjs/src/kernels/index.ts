// Replacement gradient kernels for tfjs' cpu and wasm backends (4.22), registered under the stock names so
// autodiff picks them up. Why each one exists:
//   Conv2DBackpropFilter  wasm: missing (training fails); cpu: per-element TensorBuffer reads (~6 M MAC/s)
//   Conv2DBackpropInput   wasm: scalar loop; cpu: scalar loop -> both become a forward Conv2D
//   MaxPoolGrad           wasm: wrong for all-negative windows; cpu: TensorBuffer reads
//   AvgPoolGrad           cpu: TensorBuffer reads
//   BatchMatMul           wasm: transposed operands skip XNNPACK
// Other backends (webgl, webgpu, tensorflow) keep their native kernels.
import type * as tfc from '@tensorflow/tfjs-core';
import type { KernelBackend, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { batchMatMulUntransposed } from './batch-matmul.js';
import { conv2dBackpropFilter, conv2dBackpropInput } from './conv2d-backprop.js';
import type { ConvAttrs } from './conv-geometry.js';
import { avgPoolGrad, maxPoolGrad, type PoolAttrs } from './pool-grad.js';
import { stockKernels } from './stock.js';

export { conv2dBackpropFilter, conv2dBackpropInput } from './conv2d-backprop.js';
export { maxPoolGrad, avgPoolGrad } from './pool-grad.js';
/** Stock kernels the replacements call; captured before any of them is replaced. */
const STOCK_DEPENDENCIES = ['Conv2D', 'Transpose', 'BatchMatMul', 'Reshape'] as const;

type Make = (tf: typeof tfc, stock: Record<string, KernelFunc>) => KernelFunc;

const conv2dFilter: Make =
  (tf, funcs) =>
  ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    return conv2dBackpropFilter(
      tf,
      stockKernels(funcs, backend as KernelBackend),
      x,
      dy,
      attrs as unknown as ConvAttrs & {
        filterShape: [number, number, number, number];
      },
    );
  };
const conv2dInput: Make =
  (tf, funcs) =>
  ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    return conv2dBackpropInput(
      tf,
      stockKernels(funcs, backend as KernelBackend),
      dy,
      filter,
      attrs as unknown as ConvAttrs & {
        inputShape: [number, number, number, number];
      },
    );
  };
const maxPool: Make =
  (tf) =>
  ({ inputs, backend, attrs }) => {
    const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
    return maxPoolGrad(tf, backend as KernelBackend, dy, input, attrs as unknown as PoolAttrs);
  };
const avgPool: Make =
  (tf) =>
  ({ inputs, backend, attrs }) => {
    const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
    return avgPoolGrad(tf, backend as KernelBackend, dy, input, attrs as unknown as PoolAttrs);
  };
const matMul: Make =
  (_tf, funcs) =>
  ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    return batchMatMulUntransposed(stockKernels(funcs, backend as KernelBackend), a, b, attrs as NamedAttrMap);
  };

const REPLACEMENTS: Record<string, Record<string, Make>> = {
  cpu: {
    Conv2DBackpropFilter: conv2dFilter,
    Conv2DBackpropInput: conv2dInput,
    MaxPoolGrad: maxPool,
    AvgPoolGrad: avgPool,
  },
  wasm: {
    Conv2DBackpropFilter: conv2dFilter,
    Conv2DBackpropInput: conv2dInput,
    MaxPoolGrad: maxPool,
    AvgPoolGrad: avgPool,
    BatchMatMul: matMul,
  },
};

/** Every kernel function installed here, so a second install neither stacks nor captures one as "stock". */
const ours = new WeakSet<KernelFunc>();

/** Backends installKernels has run on. */
const installed = new Set<string>();

/** Names of the kernels `installKernels` replaces on this tfjs backend (empty: it keeps its own). */
export function replacedKernels(backendName: string): string[] {
  return Object.keys(REPLACEMENTS[backendName] ?? {});
}

/**
 * Registers the replacement kernels for `backendName` ('cpu' or 'wasm'; any other backend is left as it is).
 * Safe to call more than once, before or after the backend initialises.
 */
export function installKernels(tf: typeof tfc, backendName: string): void {
  const table = REPLACEMENTS[backendName];
  if (!table) return;
  installed.add(backendName);
  const stock: Record<string, KernelFunc> = {};
  for (const name of STOCK_DEPENDENCIES) {
    const k = tf.getKernel(name, backendName);
    if (k && !ours.has(k.kernelFunc)) stock[name] = k.kernelFunc;
  }
  for (const [kernelName, make] of Object.entries(table)) {
    const existing = tf.getKernel(kernelName, backendName);
    if (existing && ours.has(existing.kernelFunc)) continue;
    const kernelFunc = make(tf, stock);
    ours.add(kernelFunc);
    const config: KernelConfig = { kernelName, backendName, kernelFunc };
    // A replaced kernel that the replacement still calls keeps its setup (wasm binds its C function there).
    if (existing?.setupFunc) config.setupFunc = existing.setupFunc;
    if (existing) tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel(config);
  }
}
