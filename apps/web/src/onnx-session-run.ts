// The OnnxTrainingSession calls the self-check page makes (onnx-session-check.ts), shared with its test, which makes
// the same calls in Node: created from ONNX bytes, SGD steps, evalStep, getWeights, exportModelForInference.
import { OnnxTrainingSession } from '@convzoo/backend-onnx';

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

/** The calls a user of onnxruntime-web's training API makes, on `backend` (a registered one that trains). */
export async function onnxSessionRun(bytes: ArrayLike<number>, batch: OnnxSessionBatch, steps: number, backend: string): Promise<OnnxSessionRun> {
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
