// Memory models of the tfjs backends: their real limits and the factors measured against real peaks with
// apps/cli/scripts/bench-memory.ts (tfjs-wasm: the WebAssembly heap after one step, which never shrinks; tfjs-cpu:
// the process's peak RSS). Factors are the upper end of what was measured, so a "fits" is not a guess that aborts.
import { systemMemoryBytes, type MemoryFactors, type MemoryModel } from '@convzoo/backend';

const MiB = 2 ** 20;

/** tfjs-backend-wasm 4.22 grows its heap up to emscripten's getHeapMax(): 4 GiB less one 64 KiB page. */
export const WASM_HEAP_MAX = 4294901760;

// Measured on tfjs-wasm (Adam, 28x28 and 224x224 inputs): the heap after a step is 4.5-6.3x the plan's activations
// (every layer output is kept, plus the tensors of BatchNorm and the backward pass); the update of every parameter
// runs in one tidy, so its temporaries hold several copies of the weights at once (VGG16 with 512 MiB of weights
// aborted at batch 2). Inference: 1.1-1.5x activations, and the im2col patches of the biggest convolution twice.
const WASM_TRAINING: MemoryFactors = { activations: 6.5, temporary: 2.2, parameters: 4, overheadBytes: 16 * MiB };
const WASM_INFERENCE: MemoryFactors = { activations: 1.5, temporary: 2.2, overheadBytes: 16 * MiB };

// The heap fragments: plain56 at batch 128, estimated at 3.95 GiB of 4 GiB, aborted. Plan within 85% of it.
const WASM_USABLE = 0.85;

export function wasmMemoryModel(): MemoryModel {
  return {
    limitBytes: Math.floor(WASM_HEAP_MAX * WASM_USABLE),
    limitSource: "tfjs-backend-wasm's 4 GiB WebAssembly heap, less 15% for fragmentation",
    training: WASM_TRAINING,
    inference: WASM_INFERENCE,
  };
}

// tfjs-cpu keeps tensors as JavaScript typed arrays: the limit is the machine's available memory.
const CPU_TRAINING: MemoryFactors = { activations: 6.5, temporary: 2.2, parameters: 4, overheadBytes: 64 * MiB };
const CPU_INFERENCE: MemoryFactors = { activations: 1.5, temporary: 2.2, overheadBytes: 64 * MiB };

export function cpuMemoryModel(): MemoryModel | undefined {
  const free = systemMemoryBytes();
  return free === undefined ? undefined : { limitBytes: free, limitSource: 'available system memory', training: CPU_TRAINING, inference: CPU_INFERENCE };
}
