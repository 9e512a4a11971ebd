// Keras' cross-entropies on plain arrays, for inference-only backends (eval on ONNX) and reference checks. The
// engines' own losses (tfjs ops, the ONNX training graph) must stay graph operations for autodiff, so they cannot call
// this; they share its EPSILON and are checked against it by the training conformance suite.
import type { LossName, Tensor } from './contract.js';
import { EPSILON } from './training.js';

const lastDim = (t: Tensor) => (t.shape.length > 1 ? t.shape[t.shape.length - 1]! : 1);

/** Sum over the batch of the per-sample loss of probabilities `yPred` (clipped to [EPSILON, 1 - EPSILON]). */
export function crossEntropySum(loss: LossName, yTrue: Tensor, yPred: Tensor): number {
  const clip = (p: number) => Math.min(1 - EPSILON, Math.max(EPSILON, p));
  const c = lastDim(yPred);
  const rows = yPred.shape[0] ?? 1;
  let total = 0;
  for (let i = 0; i < rows; i++) {
    if (loss === 'binaryCrossentropy') {
      let s = 0;
      for (let j = 0; j < c; j++) {
        const p = clip(yPred.data[i * c + j]!);
        const t = yTrue.data[i * c + j]!;
        s += -(t * Math.log(p) + (1 - t) * Math.log(1 - p));
      }
      total += s / c;
    } else if (loss === 'sparseCategoricalCrossentropy') {
      const label = Math.round(yTrue.data[i * lastDim(yTrue)]!);
      total += -Math.log(clip(yPred.data[i * c + label]!));
    } else {
      // Keras normalises the probabilities to sum 1 before the log.
      let norm = 0;
      for (let j = 0; j < c; j++) norm += yPred.data[i * c + j]!;
      let s = 0;
      for (let j = 0; j < c; j++) s -= yTrue.data[i * c + j]! * Math.log(clip(yPred.data[i * c + j]! / norm));
      total += s;
    }
  }
  return total;
}
