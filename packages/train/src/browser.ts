// The browser entry (@convzoo/train/browser): the training loop, its metrics and in-memory callbacks, and a
// checkpoint as bytes (checkpointFiles) for a page to offer as a download. No fs: the file writers (checkpoints on
// disk, TensorBoard, CSV, SVG curves) are the Node entry's.
export type { Samples, Logs, History, MetricSpec, TrainContext, TestParams, Callback } from './types.js';
export { fit, evaluate, NonFiniteLossError, type FitOptions, type EvaluateOptions } from './fit.js';
export { resolveMetrics, targetKind, lossSum, type Metric, type TargetKind } from './metrics.js';
export { sampleCount, splitValidation, sliceSamples, gatherSamples, epochPermutation } from '@convzoo/backend';
export { HistoryCallback } from './callbacks/history.js';
export { EarlyStopping, type EarlyStoppingOptions } from './callbacks/early-stopping.js';
export type { MonitorMode } from './callbacks/monitor.js';
export type { TrainingState } from './training-state.js';
export {
  checkpointFiles,
  snapshotFiles,
  snapshotName,
  digestsJson,
  POINTER_FILE,
  DIGESTS_FILE,
  type Pointer,
  type Snapshot,
  type SnapshotDigests,
} from './snapshot-files.js';
export * from './finetune/index.js';
