// Keras' TensorBoard callback layout: `<logdir>/train` and `<logdir>/validation`, scalars `epoch_<metric>` at
// step = epoch (0-based), validation metrics written without their `val_` prefix, and, as Keras does, also
// `evaluation_<metric>_vs_iterations` in validation/ at step = optimizer updates so far.
import { join } from 'node:path';
import { EventFileWriter } from '../tensorboard/writer.js';
import type { Callback, Logs, TrainContext } from '../types.js';

export class TensorBoard implements Callback {
  private train: EventFileWriter | undefined;
  private validation: EventFileWriter | undefined;

  private ctx: TrainContext | undefined;

  constructor(readonly logDir: string) {}

  setContext(ctx: TrainContext): void {
    this.ctx = ctx;
  }

  onTrainBegin(): void {
    this.train = new EventFileWriter(join(this.logDir, 'train'));
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    // Optimizer updates so far: every epoch has the same number of steps, so this holds for resumed runs too.
    const iterations = this.ctx ? (epoch + 1) * this.ctx.params.steps : undefined;
    for (const [k, v] of Object.entries(logs)) {
      if (!k.startsWith('val_') || iterations === undefined) continue;
      this.validation ??= new EventFileWriter(join(this.logDir, 'validation'));
      this.validation.scalar(`evaluation_${k.slice(4)}_vs_iterations`, iterations, v);
    }
    for (const [k, v] of Object.entries(logs)) {
      if (k.startsWith('val_')) {
        this.validation ??= new EventFileWriter(join(this.logDir, 'validation'));
        this.validation.scalar(`epoch_${k.slice(4)}`, epoch, v);
      } else {
        this.train?.scalar(`epoch_${k}`, epoch, v);
      }
    }
  }

  /** The event files written so far (train first). */
  get files(): string[] {
    return [this.train?.path, this.validation?.path].filter((p): p is string => p !== undefined);
  }
}
