// Public types of the training loop: data, options, logs, History and the callback interface (Keras-shaped).
import type { Samples, TrainableModel } from '@convzoo/backend';

/** In-memory samples: x is one tensor (or one per model input), y one per output (backend's type). */
export type { Samples };

/** Per-epoch or per-batch values by Keras name: `loss`, `accuracy`, `val_loss`, `dense_1_accuracy`, ... */
export type Logs = Record<string, number>;

/** Keras' History: `epoch` lists epoch indices (0-based), `history[name]` one value per epoch. */
export interface History {
  epoch: number[];
  history: Record<string, number[]>;
}

/** A metric tracked per output: `accuracy` picks the right kind from the output's loss, as Keras does. */
export type MetricSpec = 'accuracy' | { topK: number };

/** What every callback may read: the model, the run's parameters, the history so far, and a stop switch. */
export interface TrainContext {
  model: TrainableModel;
  params: {
    epochs: number;
    /** Batches per training epoch. */
    steps: number;
    samples: number;
    batchSize: number;
    initialEpoch: number;
    /** Validation samples, 0 when there is no validation. */
    validationSamples: number;
    /** Metric names logged per epoch, training ones then `val_*`, in display order. */
    metricNames: string[];
  };
  history: History;
  /** Ask the loop to stop after the current epoch (EarlyStopping). */
  requestStop(reason: string): void;
  readonly stopReason: string | undefined;
}

/** Test-phase parameters (evaluate's progress bar). */
export interface TestParams {
  steps: number;
  samples: number;
  batchSize: number;
}

/** Keras' callback hooks. Every hook may be async; the loop awaits it. */
export interface Callback {
  setContext?(ctx: TrainContext): void;
  onTrainBegin?(logs: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs: Logs): void | Promise<void>;
  /**
   * `logs` hold the running means of the epoch so far (what the progress bar shows); `batchLogs` this batch's own
   * values (per-iteration curves, as in He et al.'s training-error plots). Test batches give only `logs`.
   */
  onBatchEnd?(batch: number, logs: Logs, batchLogs?: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  /** Called also when training ends by an error (logs.error is then set to 1), so writers can close. */
  onTrainEnd?(logs: Logs): void | Promise<void>;
  onTestBegin?(params: TestParams): void | Promise<void>;
  onTestBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
  onTestEnd?(logs: Logs): void | Promise<void>;
}
