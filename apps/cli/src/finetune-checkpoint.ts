// `convzoo finetune`'s checkpoint: the best epoch (by val_loss, else loss) in `train`'s snapshot layout, written once
// when training ends. A fine-tuned snapshot holds the whole network (~94 MB for ResNet50) while only the head changes
// per epoch, so the best epoch's trained weights (kilobytes) are kept in memory and the snapshot is written once.
import type { OptimizerState, TrainingConfig, WeightMap } from '@convzoo/backend';
import { removeUnfinished, saveSnapshot, type Callback, type Logs, type TrainContext } from '@convzoo/train';

export class BestEpochSnapshot implements Callback {
  private ctx: TrainContext | undefined;
  private best: { value: number; epoch: number; weights: WeightMap; optimizer: OptimizerState } | undefined;
  /** The snapshot directory, once written. */
  saved: string | undefined;
  monitor = 'loss';

  constructor(private readonly options: { dir: string; seed: number; training: TrainingConfig; extra: Record<string, unknown> }) {}

  setContext(ctx: TrainContext): void {
    this.ctx = ctx;
  }

  onTrainBegin(): void {
    removeUnfinished(this.options.dir);
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    this.monitor = logs.val_loss !== undefined ? 'val_loss' : 'loss';
    const value = logs[this.monitor];
    if (value === undefined || !Number.isFinite(value) || (this.best && value >= this.best.value)) return;
    const model = this.ctx!.model;
    this.best = { value, epoch, weights: await model.getWeights(), optimizer: await model.getOptimizerState() };
  }

  onTrainEnd(logs: Logs): void {
    if (logs.error || !this.best || !this.ctx) return;
    const { dir, seed, training, extra } = this.options;
    this.saved = saveSnapshot(
      dir,
      {
        spec: this.ctx.model.spec,
        weights: this.best.weights,
        optimizer: this.best.optimizer,
        state: {
          format: 'convzoo.train-state/1',
          epoch: this.best.epoch + 1,
          history: this.ctx.history,
          seed,
          training,
          extra: { ...extra, monitor: this.monitor, best: this.best.value },
        },
      },
      { best: true, keep: 1 },
    );
  }
}
