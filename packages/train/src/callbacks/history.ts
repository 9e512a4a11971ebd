// Keras' History callback: the loop already builds the History; this exposes it to code that wants a callback.
import type { Callback, History, TrainContext } from '../types.js';

export class HistoryCallback implements Callback {
  private ctx: TrainContext | undefined;

  setContext(ctx: TrainContext): void {
    this.ctx = ctx;
  }

  get history(): History {
    if (!this.ctx) throw new Error('HistoryCallback has not been passed to fit() yet');
    return this.ctx.history;
  }
}
