// Keras' verbose=1 output. On a terminal the line redraws in place; elsewhere (logs, CI) only the finished
// line of each epoch is printed, so a log file reads like the tutorial's output without carriage returns.
import type { Callback, Logs, TestParams, TrainContext } from '../types.js';
import { progressLine } from './progbar.js';

export interface ProgressBarOptions {
  /** Prints one whole line (a newline is added by the sink). */
  line: (text: string) => void;
  /** Writes raw text without a newline; give it only on a TTY to get the redrawn bar. */
  redraw?: (chunk: string) => void;
  /** Minimum seconds between redraws (Keras: 0.05). */
  interval?: number;
  now?: () => number;
}

export class ProgressBar implements Callback {
  private ctx: TrainContext | undefined;
  private start = 0;
  private lastDraw = -Infinity;
  private drawnWidth = 0;
  private target = 0;
  private readonly now: () => number;

  constructor(private readonly options: ProgressBarOptions) {
    this.now = options.now ?? (() => performance.now() / 1000);
  }

  setContext(ctx: TrainContext): void {
    this.ctx = ctx;
  }

  onEpochBegin(epoch: number): void {
    this.options.line(`Epoch ${epoch + 1}/${this.ctx?.params.epochs ?? '?'}`);
    this.begin(this.ctx?.params.steps ?? 0);
  }

  onBatchEnd(batch: number, logs: Logs): void {
    this.update(batch + 1, logs);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    this.finish(logs);
  }

  onTestBegin(params: TestParams): void {
    this.begin(params.steps);
  }

  onTestBatchEnd(batch: number, logs: Logs): void {
    this.update(batch + 1, logs);
  }

  onTestEnd(logs: Logs): void {
    this.finish(logs);
  }

  private begin(target: number): void {
    this.target = target;
    this.start = this.now();
    this.lastDraw = -Infinity;
    this.drawnWidth = 0;
  }

  private update(current: number, logs: Logs): void {
    const { redraw, interval = 0.05 } = this.options;
    if (!redraw || current >= this.target) return;
    const t = this.now();
    if (t - this.lastDraw < interval) return;
    this.lastDraw = t;
    this.draw(progressLine(current, this.target, t - this.start, logs, Object.keys(logs)));
  }

  private finish(logs: Logs): void {
    const text = progressLine(this.target, this.target, this.now() - this.start, logs, Object.keys(logs));
    if (this.options.redraw && this.drawnWidth > 0) {
      this.draw(text);
      this.options.redraw('\n');
    } else {
      this.options.line(text);
    }
    this.drawnWidth = 0;
  }

  /** Overwrites the current line; trailing spaces clear a longer previous line, as Keras does. */
  private draw(text: string): void {
    const pad = Math.max(0, this.drawnWidth - text.length);
    this.options.redraw!(`\r${text}${' '.repeat(pad)}`);
    this.drawnWidth = text.length;
  }
}
