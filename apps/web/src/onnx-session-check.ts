// onnx-session-check.html: OnnxTrainingSession from the browser entry of @convzoo/backend-onnx, as a user of
// onnxruntime-web's removed training API would call it: created from ONNX bytes, a few trainStep calls,
// evalStep, getWeights, exportModelForInference. The web tests call the hook with a PyTorch-exported file and hold
// the results to the same calls in Node (onnx-cpu).
import { OnnxTrainingSession } from '@convzoo/backend-onnx';
import { configureOrt, registerPageBackends } from './backends.js';

export interface OnnxSessionBatch {
  /** Images in the file's layout (NCHW for PyTorch files), flattened, and their shape. */
  x: number[];
  shape: number[];
  /** Class indices. */
  labels: number[];
}

export interface OnnxSessionRun {
  backend: string;
  inputLayout: string;
  losses: number[];
  evalLoss: number;
  weights: Record<string, number[]>;
  /** exportModelForInference()'s bytes. */
  exported: number[];
}

async function onnxSession(bytes: number[], batch: OnnxSessionBatch, steps: number, backend = 'onnx-wasm'): Promise<OnnxSessionRun> {
  const session = await OnnxTrainingSession.create(Uint8Array.from(bytes), { backend, optimizer: { kind: 'sgd', learningRate: 0.05 } });
  try {
    const x = { shape: batch.shape, data: Float32Array.from(batch.x) };
    const y = { shape: [batch.labels.length], data: Float32Array.from(batch.labels) };
    const losses: number[] = [];
    for (let i = 0; i < steps; i++) losses.push((await session.trainStep(x, y)).loss);
    const { loss: evalLoss } = await session.evalStep(x, y);
    const weights = Object.fromEntries(Object.entries(await session.getWeights()).map(([k, t]) => [k, [...t.data]]));
    return { backend, inputLayout: session.inputLayout, losses, evalLoss, weights, exported: [...(await session.exportModelForInference())] };
  } finally {
    session.release();
  }
}

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
