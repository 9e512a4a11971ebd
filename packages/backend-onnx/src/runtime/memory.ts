// Memory models of the ONNX Runtime backends, measured with apps/cli/scripts/bench-memory.ts (peak RSS of one
// prediction in a fresh process). ORT plans activation buffers and reuses them (ResNet50 at batch 8 peaked at half
// its summed activations), but the weights exist three times while a model opens: convzoo's copy, the exported
// ONNX bytes and ORT's own (VGG16: 2.6 GiB for 528 MiB of weights). GPU backends have no model yet (unchecked).
import { systemMemoryBytes, type MemoryFactors, type MemoryModel } from '@convzoo/backend';

const MiB = 2 ** 20;
const INFERENCE: MemoryFactors = { activations: 0.5, temporary: 2, parameters: 3, overheadBytes: 64 * MiB };
/**
 * Training graphs keep every forward activation for the backward pass and hold the parameters, their gradients,
 * the optimizer slots and the step's new copies at once. onnxruntime-web's heap only grows, so its peak is higher.
 */
const TRAINING: MemoryFactors = { activations: 1, temporary: 2, parameters: 4, overheadBytes: 64 * MiB };
const WASM_TRAINING: MemoryFactors = { activations: 2.5, temporary: 2, parameters: 4, overheadBytes: 224 * MiB };
/** onnxruntime-web's WebAssembly heap: 4 GiB at most, 85% of it usable (as tfjs-wasm's). */
const WASM_LIMIT = Math.floor(4294901760 * 0.85);

export function onnxMemoryModel(ep: string): MemoryModel | undefined {
  if (ep === 'wasm')
    return {
      limitBytes: WASM_LIMIT,
      limitSource: "onnxruntime-web's 4 GiB WebAssembly heap, less 15% for fragmentation",
      training: WASM_TRAINING,
      inference: INFERENCE,
    };
  if (ep !== 'cpu') return undefined;
  const free = systemMemoryBytes();
  return free === undefined ? undefined : { limitBytes: free, limitSource: 'available system memory', training: TRAINING, inference: INFERENCE };
}
