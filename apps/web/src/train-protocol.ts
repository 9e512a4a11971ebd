// The messages between the Train section (train-section.ts) and its Web Worker (train-worker.ts). Training runs
// in the worker so the page (drawing, the chart, timers) stays responsive; only numbers and bytes cross.
import type { WeightMap } from '@convzoo/backend';
import type { ModelSpec } from '@convzoo/models';

/** The models the section trains: the tutorial's LeNet and its small MNIST ResNet (`convzoo list` names). */
export const TRAIN_MODELS = ['lenet', 'resnet_tutorial'] as const;
export type TrainModel = (typeof TRAIN_MODELS)[number];

/** MNIST's 60,000 training images: the last 5,000 validate each epoch, so at most 55,000 train. */
export const MNIST_TRAIN = 60_000;
export const VALIDATION = 5_000;
export const MAX_LIMIT = MNIST_TRAIN - VALIDATION;
/** MNIST's 10,000 test images score the trained net. */
export const MNIST_TEST = 10_000;

export interface TrainConfig {
  model: TrainModel;
  backend: string;
  epochs: number;
  batchSize: number;
  /** Training images: the first `limit` of MNIST's training set. */
  limit: number;
  /** Validation images (the first of the last 5,000 training images; default 5,000) and test images (the first of
   * the 10,000; default all): fewer only for a quick check (`&validation=N&test=N`), the page says how many. */
  validation: number;
  test: number;
  seed: number;
}

export type ToWorker = { type: 'start'; config: TrainConfig; base: string } | { type: 'stop' };

export type Phase = 'loading MNIST' | 'compiling' | 'training' | 'testing' | 'saving';

export type FromWorker =
  | { type: 'phase'; phase: Phase; backend?: string }
  | {
      type: 'step';
      epoch: number;
      /** 0-based batch within the epoch; `steps` per epoch. */
      batch: number;
      steps: number;
      /** This batch's own loss and accuracy. */
      loss: number;
      accuracy: number;
      /** Samples trained so far in this run, and in all. */
      done: number;
      total: number;
      /** Milliseconds spent in training steps (validation excluded). */
      trainMs: number;
      /** Wall-clock time of this step's end (performance.timeOrigin + now, comparable across threads). */
      at: number;
    }
  | { type: 'epoch'; epoch: number; logs: Record<string, number> }
  | {
      type: 'done';
      stopped: boolean;
      backend: string;
      test: { accuracy: number; loss: number; samples: number };
      spec: ModelSpec;
      weights: WeightMap;
      /** A checkpoint directory as `convzoo train` writes it (paths relative to it), and the net as ONNX. */
      checkpoint: [path: string, bytes: Uint8Array][];
      onnx: Uint8Array;
      /** Where the ONNX backends kept parameters and optimizer slots between steps ('gpu-buffer' on onnx-web-webgpu). */
      stateLocation?: string;
      /** Milliseconds: fetching and inflating MNIST, compiling, the first training step. */
      timings: { dataMs: number; compileMs: number; firstStepMs: number };
    }
  | { type: 'error'; message: string };
