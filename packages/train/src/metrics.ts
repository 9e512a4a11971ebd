// Metrics as Keras computes them. Each returns the per-batch SUM of per-sample values, so epoch values are
// running means weighted by batch size (Keras' MeanMetricWrapper).
import { crossEntropySum, type Tensor } from '@convzoo/backend';
import type { MetricSpec } from './types.js';

export interface Metric {
  /** Name without the output prefix: `accuracy`, `top_k_categorical_accuracy`. */
  name: string;
  /** Sum over the batch of the per-sample metric value. */
  sum(yTrue: Tensor, yPred: Tensor): number;
}

function classes(t: Tensor): number {
  return t.shape.length > 1 ? t.shape[t.shape.length - 1]! : 1;
}

function argmaxRow(data: Float32Array, offset: number, width: number): number {
  let best = 0;
  let bestValue = data[offset]!;
  for (let j = 1; j < width; j++) {
    const v = data[offset + j]!;
    if (v > bestValue) {
      bestValue = v;
      best = j;
    }
  }
  return best;
}

/** The true class of each row: argmax of a one-hot row, or the integer label of sparse targets. */
function trueClass(yTrue: Tensor, row: number, sparse: boolean): number {
  if (sparse) return Math.round(yTrue.data[row * classes(yTrue)]!);
  const c = classes(yTrue);
  return argmaxRow(yTrue.data, row * c, c);
}

function rows(t: Tensor): number {
  return t.shape[0] ?? 1;
}

function categoricalAccuracy(sparse: boolean): Metric {
  return {
    name: 'accuracy',
    sum(yTrue, yPred) {
      const c = classes(yPred);
      let correct = 0;
      for (let i = 0; i < rows(yPred); i++) if (argmaxRow(yPred.data, i * c, c) === trueClass(yTrue, i, sparse)) correct++;
      return correct;
    },
  };
}

/** Keras binary_accuracy: per sample, the mean over the last axis of (pred > 0.5) == true. */
const binaryAccuracy: Metric = {
  name: 'accuracy',
  sum(yTrue, yPred) {
    const c = classes(yPred);
    let total = 0;
    for (let i = 0; i < rows(yPred); i++) {
      let hits = 0;
      for (let j = 0; j < c; j++) {
        const k = i * c + j;
        if ((yPred.data[k]! > 0.5 ? 1 : 0) === yTrue.data[k]) hits++;
      }
      total += hits / c;
    }
    return total;
  },
};

/** tf.math.in_top_k: correct when fewer than k classes score strictly higher than the true class. */
function topKAccuracy(k: number, sparse: boolean): Metric {
  const base = sparse ? 'sparse_top_k_categorical_accuracy' : 'top_k_categorical_accuracy';
  return {
    name: k === 5 ? base : `${base.replace('top_k', `top_${k}`)}`,
    sum(yTrue, yPred) {
      const c = classes(yPred);
      let correct = 0;
      for (let i = 0; i < rows(yPred); i++) {
        const target = yPred.data[i * c + trueClass(yTrue, i, sparse)]!;
        let higher = 0;
        for (let j = 0; j < c; j++) if (yPred.data[i * c + j]! > target) higher++;
        if (higher < k) correct++;
      }
      return correct;
    },
  };
}

/** How targets encode classes; decides what 'accuracy' means, as Keras decides it from the shapes. */
export type TargetKind = 'categorical' | 'sparse' | 'binary';

/** Keras' rule: one prediction column is binary; integer labels against several columns are sparse. */
export function targetKind(yTrue: Tensor, yPred: Tensor): TargetKind {
  if (classes(yPred) === 1) return 'binary';
  if (yTrue.shape.length < yPred.shape.length || classes(yTrue) === 1) return 'sparse';
  return 'categorical';
}

export function resolveMetrics(specs: MetricSpec[], kind: TargetKind): Metric[] {
  const sparse = kind === 'sparse';
  return specs.map((s) => {
    if (s === 'accuracy') return kind === 'binary' ? binaryAccuracy : categoricalAccuracy(sparse);
    if (typeof s === 'object' && Number.isInteger(s.topK) && s.topK >= 1) {
      if (kind === 'binary') throw new Error('top-k accuracy needs several classes, the output has one column');
      return topKAccuracy(s.topK, sparse);
    }
    throw new Error(`unknown metric ${JSON.stringify(s)}; use 'accuracy' or { topK: k }`);
  });
}

/** Per-sample loss sum from predictions, for inference-only backends: @convzoo/backend's one cross-entropy. */
export const lossSum = crossEntropySum;
