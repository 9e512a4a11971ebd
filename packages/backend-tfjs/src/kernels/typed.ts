// Typed-array access to tensor data inside a kernel, for the cpu backend (JS arrays) and the wasm backend (views
// on the wasm heap, no copies). Replacement kernels read and write whole Float32Arrays this way, never
// element by element through TensorBuffer.get.
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

interface CpuLike {
  data: { get(dataId: object): { values?: unknown } | undefined };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}
interface WasmLike {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

function isWasm(b: unknown): b is WasmLike {
  return typeof (b as Partial<WasmLike>).typedArrayFromHeap === 'function';
}
function isCpu(b: unknown): b is CpuLike {
  return typeof (b as Partial<CpuLike>).makeTensorInfo === 'function' && (b as Partial<CpuLike>).data !== undefined;
}

function assertFloat32(t: TensorInfo, kernel: string): void {
  if (t.dtype !== 'float32') throw new Error(`${kernel}: expected a float32 input, got ${t.dtype}`);
}

/**
 * Allocates a zero-filled float32 output and runs `fill(out, inputs)` with typed-array views of the inputs.
 * On wasm the inputs are viewed only after the output is allocated: allocation can grow (and detach) the heap.
 */
export function computeFloat32(
  backend: KernelBackend,
  kernel: string,
  inputs: TensorInfo[],
  outShape: number[],
  fill: (out: Float32Array, inputs: Float32Array[]) => void,
): TensorInfo {
  for (const t of inputs) assertFloat32(t, kernel);
  if (isWasm(backend)) {
    const info = backend.makeOutput(outShape, 'float32');
    const out = backend.typedArrayFromHeap(info);
    out.fill(0);
    fill(
      out,
      inputs.map((t) => backend.typedArrayFromHeap(t)),
    );
    return info;
  }
  if (isCpu(backend)) {
    const size = outShape.reduce((a, b) => a * b, 1);
    const out = new Float32Array(size);
    const views = inputs.map((t) => {
      const values = backend.data.get(t.dataId)?.values;
      if (!(values instanceof Float32Array)) throw new Error(`${kernel}: input data is not a Float32Array`);
      return values;
    });
    fill(out, views);
    return backend.makeTensorInfo(outShape, 'float32', out);
  }
  throw new Error(`${kernel}: the '${backend.constructor.name}' backend gives no typed-array access (cpu and wasm do)`);
}
