// An engine that runs out of memory dies with a message that teaches nothing (tfjs-wasm: "Aborted(). Build with
// -sASSERTIONS for more info."). Turn it into an error that says what happened and what to do.
import { CliError } from './command.js';

/** WebAssembly aborts (emscripten), WebGPU device loss and ONNX Runtime allocation failures. */
export function isEngineAbort(e: unknown): boolean {
  const m = e instanceof Error ? e.message : String(e);
  // "memory access out of bounds": tfjs-wasm past its heap (measured: ResNet50 at 224x224, batch 4, training).
  return /^Aborted\(|RuntimeError: Aborted|memory access out of bounds|out of memory|Failed to allocate|bad_alloc|device (was )?lost/i.test(m);
}

export function engineAbortError(e: unknown, context: { backend: string; batchSize: number; checkpoint?: string }): CliError {
  const m = (e instanceof Error ? e.message : String(e)).split('\n')[0];
  const smaller = Math.max(1, Math.floor(context.batchSize / 2));
  const kept = context.checkpoint ? ` The last finished epoch is kept in ${context.checkpoint}: rerun with a smaller --batch-size to resume.` : '';
  return new CliError(
    `${context.backend} aborted at batch size ${context.batchSize} ("${m}"): the engine most likely ran out of memory ` +
      `(tfjs-wasm's WebAssembly heap stops at 4 GiB). Try --batch-size ${smaller}, or a backend with more memory (convzoo doctor).${kept}`,
    1,
  );
}
