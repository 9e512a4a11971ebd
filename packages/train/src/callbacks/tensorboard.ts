// Keras' TensorBoard callback layout: `<logdir>/train` and `<logdir>/validation`, scalars `epoch_<metric>` at
// step = epoch (0-based), validation metrics written without their `val_` prefix.
import { join } from 'node:path';
import { EventFileWriter } from '../tensorboard/writer.js';
import type { Callback, Logs } from '../types.js';

export class TensorBoard implements Callback {
  private train: EventFileWriter | undefined;
  private validation: EventFileWriter | undefined;

  constructor(readonly logDir: string) {}

  onTrainBegin(): void {
    this.train = new EventFileWriter(join(this.logDir, 'train'));
  }

  onEpochEnd(epoch: number, logs: Logs): void {
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
