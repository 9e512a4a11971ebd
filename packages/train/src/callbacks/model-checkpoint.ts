// Keras' ModelCheckpoint, extended to what resuming needs: each save stores weights, the spec, the optimizer
// state and the training state (epochs done, history, seed), atomically (see checkpoint.ts).
import type { TrainingConfig } from '@convzoo/backend';
import { removeUnfinished, saveSnapshot } from '../checkpoint.js';
import type { Callback, Logs, TrainContext } from '../types.js';
import { improves, resolveMode, type MonitorMode } from './monitor.js';

export interface ModelCheckpointOptions {
  dir: string;
  /** Default 'val_loss' (Keras), falling back to 'loss' when there is no validation. */
  monitor?: string;
  mode?: MonitorMode;
  /** Save only when the monitored value improves. Default false: save every epoch, and mark the best. */
  saveBestOnly?: boolean;
  /** Snapshots kept besides the best. Default 2. */
  keep?: number;
  /** Shuffle seed recorded for resuming. */
  seed?: number;
  training?: TrainingConfig;
  extra?: Record<string, unknown>;
  /** Called after each save with the snapshot directory (for logging). */
  onSave?: (path: string, epoch: number) => void;
}

export class ModelCheckpoint implements Callback {
  private ctx: TrainContext | undefined;
  private best: number | undefined;
  /** Directory of the last completed save. */
  lastSaved: string | undefined;

  constructor(private readonly options: ModelCheckpointOptions) {}

  setContext(ctx: TrainContext): void {
    this.ctx = ctx;
  }

  /** Seeds the best value (resume), so a resumed run does not treat its first epoch as an improvement. */
  setBest(value: number | undefined): void {
    this.best = value;
  }

  onTrainBegin(): void {
    removeUnfinished(this.options.dir);
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    const ctx = this.ctx;
    if (!ctx) throw new Error('ModelCheckpoint used outside fit()');
    const monitor = this.options.monitor ?? (logs.val_loss !== undefined ? 'val_loss' : 'loss');
    const value = logs[monitor];
    const mode = resolveMode(monitor, this.options.mode ?? 'auto');
    const isBest = value !== undefined && Number.isFinite(value) && (this.best === undefined || improves(value, this.best, mode));
    if (isBest) this.best = value;
    if (this.options.saveBestOnly && !isBest) return;
    const model = ctx.model;
    const [weights, optimizer] = await Promise.all([model.getWeights(), model.getOptimizerState()]);
    this.lastSaved = saveSnapshot(
      this.options.dir,
      {
        spec: model.spec,
        weights,
        optimizer,
        state: {
          format: 'convzoo.train-state/1',
          epoch: epoch + 1,
          history: ctx.history,
          seed: this.options.seed ?? 0,
          ...(this.options.training ? { training: this.options.training } : {}),
          extra: { ...this.options.extra, monitor, ...(this.best !== undefined ? { best: this.best } : {}) },
        },
      },
      { best: isBest, ...(this.options.keep !== undefined ? { keep: this.options.keep } : {}) },
    );
    this.options.onSave?.(this.lastSaved, epoch);
  }
}
