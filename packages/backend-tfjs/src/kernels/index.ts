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
type KernelArgs = Parameters<KernelFunc>[0];

/** A named input of a kernel call (autodiff always passes the ones the gradient's op declares). */
const input = (k: KernelArgs, name: string): TensorInfo => k.inputs[name] as TensorInfo;
/** A kernel call's attributes, typed as the replacement reads them. */
const attrsOf = <T>(k: KernelArgs) => k.attrs as unknown as T;
const stock = (funcs: Record<string, KernelFunc>, k: KernelArgs) => stockKernels(funcs, k.backend as KernelBackend);

type Shape4 = [number, number, number, number];
const conv2dFilter: Make = (tf, funcs) => (k) =>
  conv2dBackpropFilter(tf, stock(funcs, k), input(k, 'x'), input(k, 'dy'), attrsOf<ConvAttrs & { filterShape: Shape4 }>(k));
const conv2dInput: Make = (tf, funcs) => (k) =>
  conv2dBackpropInput(tf, stock(funcs, k), input(k, 'dy'), input(k, 'filter'), attrsOf<ConvAttrs & { inputShape: Shape4 }>(k));
const maxPool: Make = (tf) => (k) => maxPoolGrad(tf, k.backend as KernelBackend, input(k, 'dy'), input(k, 'input'), attrsOf<PoolAttrs>(k));
const avgPool: Make = (tf) => (k) => avgPoolGrad(tf, k.backend as KernelBackend, input(k, 'dy'), input(k, 'input'), attrsOf<PoolAttrs>(k));
const matMul: Make = (_tf, funcs) => (k) => batchMatMulUntransposed(stock(funcs, k), input(k, 'a'), input(k, 'b'), k.attrs as NamedAttrMap);

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
