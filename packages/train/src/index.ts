export type { Samples, Logs, History, MetricSpec, TrainContext, TestParams, Callback } from './types.js';
export { fit, evaluate, NonFiniteLossError, type FitOptions, type EvaluateOptions } from './fit.js';
export { resolveMetrics, targetKind, lossSum, type Metric, type TargetKind } from './metrics.js';
// The sample pipeline is @convzoo/backend's (shared with datasets); re-exported where fit's users look for it.
export { sampleCount, splitValidation, sliceSamples, gatherSamples, epochPermutation } from '@convzoo/backend';
export { ProgressBar, type ProgressBarOptions } from './callbacks/progress-bar.js';
export { progressLine, formatValue, bar as progbar } from './callbacks/progbar.js';
export { HistoryCallback } from './callbacks/history.js';
export { CsvLogger, JsonLinesLogger, type LogFileOptions } from './callbacks/csv-logger.js';
export { TensorBoard } from './callbacks/tensorboard.js';
export { ModelCheckpoint, type ModelCheckpointOptions } from './callbacks/model-checkpoint.js';
export { EarlyStopping, type EarlyStoppingOptions } from './callbacks/early-stopping.js';
export { TrainingCurve } from './callbacks/training-curve.js';
export type { MonitorMode } from './callbacks/monitor.js';
export {
  saveSnapshot,
  loadCheckpoint,
  readPointer,
  removeUnfinished,
  CheckpointError,
  POINTER_FILE,
  type TrainingState,
  type Pointer,
  type Snapshot,
  type LoadedSnapshot,
  type SaveOptions,
} from './checkpoint.js';
export { CheckpointIntegrityError, DIGESTS_FILE, readDigests, type SnapshotDigests } from './integrity.js';
// A checkpoint as bytes (what a page offers as a download; the browser entry exports it too).
export { checkpointFiles, snapshotFiles, snapshotName } from './snapshot-files.js';
// The digest checkpoints record (one implementation, in @convzoo/io), for users checking a snapshot by hand.
export { sha256Hex } from '@convzoo/io';
export { trainingCurveSvg } from './curve.js';
export { lineChartSvg, type LineChartOptions, type LinePanel, type LineSeries } from './line-chart.js';
// Text inside SVG: the CLI's classify chart escapes with the same function as the training charts.
export { escapeXml } from './svg.js';
export { crc32c, maskedCrc32c } from './tensorboard/crc32c.js';
export { frameRecord, readRecords } from './tensorboard/record.js';
export { EventFileWriter } from './tensorboard/writer.js';
// Transfer learning on a pretrained backbone (browser-safe: no file system).
export * from './finetune/index.js';
