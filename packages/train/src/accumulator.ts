// Running means of loss and metrics over the batches of an epoch, with Keras' names and order:
// `loss`, then `<output>_loss` per output, then `<output>_<metric>` (single output: just `accuracy`).
import type { StepResult, Tensor } from '@convzoo/backend';
import { resolveMetrics, targetKind, type Metric } from './metrics.js';
import type { Logs, MetricSpec } from './types.js';

export class EpochAccumulator {
  private sums = new Map<string, number>();
  private samples = 0;
  private metrics: Metric[][] | undefined;

  constructor(
    private readonly outputNames: string[],
    private readonly metricSpecs: MetricSpec[],
  ) {}

  /** Adds one batch: loss weighted by the batch size, metrics summed per sample. */
  add(result: StepResult, targets: Tensor[], batchSize: number): void {
    if (result.outputs.length !== targets.length) {
      throw new Error(`the model returned ${result.outputs.length} outputs but ${targets.length} targets were given`);
    }
    this.metrics ??= targets.map((t, i) => resolveMetrics(this.metricSpecs, targetKind(t, result.outputs[i]!)));
    const multi = this.outputNames.length > 1;
    this.bump('loss', result.loss * batchSize);
    if (multi) result.losses.forEach((l, i) => this.bump(`${this.outputNames[i]}_loss`, l * batchSize));
    this.metrics.forEach((list, i) => {
      for (const m of list) this.bump(multi ? `${this.outputNames[i]}_${m.name}` : m.name, m.sum(targets[i]!, result.outputs[i]!));
    });
    this.samples += batchSize;
  }

  private bump(name: string, value: number): void {
    this.sums.set(name, (this.sums.get(name) ?? 0) + value);
  }

  means(): Logs {
    const logs: Logs = {};
    for (const [name, sum] of this.sums) logs[name] = sum / Math.max(1, this.samples);
    return logs;
  }
}
