// Keras' verbose=1 output. On a terminal the line redraws in place; elsewhere (logs, CI) only the finished
// line of each epoch is printed, so a log file reads like the tutorial's output without carriage returns.
// Unlike Keras, an epoch's `2s 25ms/step` counts training steps only; the validation pass after them is shown apart
// (`- val_time: 4s 9ms/step`), so the step time is the one speed claims are about.
import type { Callback, Logs, TestParams, TrainContext } from '../types.js';
import { perStep, progressLine } from './progbar.js';

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
  /** When the epoch's last training step ended (validation runs after it). */
  private trainEnd: number | undefined;
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
    this.trainEnd = undefined;
  }

  onBatchEnd(batch: number, logs: Logs): void {
    if (batch + 1 >= this.target) this.trainEnd = this.now();
    this.update(batch + 1, logs);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    const trainEnd = this.trainEnd ?? this.now();
    const params = this.ctx?.params;
    if (!params || params.validationSamples === 0) {
      this.finish(logs, trainEnd - this.start);
      return;
    }
    const seconds = this.now() - trainEnd;
    const steps = Math.ceil(params.validationSamples / params.batchSize);
    this.finish(logs, trainEnd - this.start, ` - val_time: ${seconds.toFixed(0)}s ${perStep(seconds / steps)}`);
  }

  onTestBegin(params: TestParams): void {
    this.begin(params.steps);
  }

  onTestBatchEnd(batch: number, logs: Logs): void {
    this.update(batch + 1, logs);
  }

  onTestEnd(logs: Logs): void {
    this.finish(logs, this.now() - this.start);
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

  private finish(logs: Logs, elapsed: number, suffix = ''): void {
    const text = progressLine(this.target, this.target, elapsed, logs, Object.keys(logs)) + suffix;
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
