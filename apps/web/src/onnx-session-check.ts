// onnx-session-check.html: OnnxTrainingSession from the browser entry of @convzoo/backend-onnx, as a user of
// onnxruntime-web's removed training API would call it (onnx-session-run.ts), on onnx-wasm. The web tests call the
// hook with a PyTorch-exported file and hold the results to the same calls in Node (onnx-cpu).
import { configureOrt, registerPageBackends } from './backends.js';
import { type OnnxSessionBatch, onnxSessionRun } from './onnx-session-run.js';

const onnxSession = (bytes: number[], batch: OnnxSessionBatch, steps: number) => onnxSessionRun(bytes, batch, steps, 'onnx-wasm');

const status = document.getElementById('status')!;
registerPageBackends();
configureOrt().then(
  () => {
    (globalThis as { __convzoo?: object }).__convzoo = { onnxSession };
    status.textContent = 'ready';
  },
  (e: unknown) => {
    status.textContent = `error: ${e instanceof Error ? e.message : String(e)}`;
  },
);
