// Keras' EarlyStopping: stop when `monitor` has not improved by `minDelta` for `patience` epochs, optionally
// putting back the best weights seen.
import type { WeightMap } from '@convzoo/backend';
import type { Callback, Logs, TrainContext } from '../types.js';
import { improves, resolveMode, type MonitorMode } from './monitor.js';

export interface EarlyStoppingOptions {
  monitor?: string;
  minDelta?: number;
  patience?: number;
  mode?: MonitorMode;
  restoreBestWeights?: boolean;
}

export class EarlyStopping implements Callback {
  private ctx: TrainContext | undefined;
  private best: number | undefined;
  private wait = 0;
  private bestWeights: WeightMap | undefined;
  /** Epoch index at which training was stopped, if it was. */
  stoppedEpoch: number | undefined;

  constructor(private readonly options: EarlyStoppingOptions = {}) {}

  setContext(ctx: TrainContext): void {
    this.ctx = ctx;
  }

  onTrainBegin(): void {
    this.best = undefined;
    this.wait = 0;
    this.bestWeights = undefined;
    this.stoppedEpoch = undefined;
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    const monitor = this.options.monitor ?? 'val_loss';
    const value = logs[monitor];
    if (value === undefined) {
      throw new Error(`EarlyStopping monitors '${monitor}' but the logs have only: ${Object.keys(logs).join(', ')}`);
    }
    const mode = resolveMode(monitor, this.options.mode ?? 'auto');
    this.wait++;
    if (this.best === undefined || improves(value, this.best, mode, this.options.minDelta ?? 0)) {
      this.best = value;
      this.wait = 0;
      if (this.options.restoreBestWeights) this.bestWeights = await this.ctx!.model.getWeights();
      return;
    }
    if (this.wait >= (this.options.patience ?? 0)) {
      this.stoppedEpoch = epoch;
      this.ctx!.requestStop(`EarlyStopping: ${monitor} did not improve for ${this.wait} epoch(s) (best ${this.best})`);
      if (this.options.restoreBestWeights && this.bestWeights) await this.ctx!.model.setWeights(this.bestWeights);
    }
  }
}
