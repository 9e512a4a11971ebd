// Per-iteration training error and loss for He et al.'s curves: one CSV row per update, and TensorBoard scalars at
// step = iteration. Rows of an epoch are written when it ends, before the checkpoint of that epoch (callback order),
// so after a crash `truncate` drops the rows of epochs the checkpoint does not hold and the resumed run rewrites them.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { EventFileWriter, type Callback, type Logs, type TrainContext } from '@convzoo/train';

const HEADER = 'epoch,iteration,train_error,loss';

export interface IterationRow {
  epoch: number;
  iteration: number;
  trainError: number;
  loss: number;
}

export class IterationLog implements Callback {
  private ctx: TrainContext | undefined;
  private rows: IterationRow[] = [];
  private epoch = 0;
  private writer: EventFileWriter | undefined;

  constructor(
    readonly csvPath: string,
    readonly tensorboardDir: string,
  ) {}

  /** Keeps only rows of epochs before `epochs` (those the checkpoint holds); creates the file with its header. */
  static truncate(csvPath: string, epochs: number): void {
    const kept = existsSync(csvPath) ? readIterations(csvPath).filter((r) => r.epoch < epochs) : [];
    writeFileSync(csvPath, [HEADER, ...kept.map(formatRow)].join('\n') + '\n');
  }

  setContext(ctx: TrainContext): void {
    this.ctx = ctx;
  }

  onTrainBegin(): void {
    this.writer = new EventFileWriter(this.tensorboardDir);
  }

  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
    this.rows = [];
  }

  onBatchEnd(batch: number, _running: Logs, own?: Logs): void {
    const steps = this.ctx?.params.steps ?? 0;
    const accuracy = own?.accuracy;
    if (own === undefined || accuracy === undefined || own.loss === undefined) return;
    this.rows.push({ epoch: this.epoch, iteration: this.epoch * steps + batch + 1, trainError: 1 - accuracy, loss: own.loss });
  }

  onEpochEnd(): void {
    if (this.rows.length === 0) return;
    appendFileSync(this.csvPath, this.rows.map(formatRow).join('\n') + '\n');
    for (const r of this.rows) {
      this.writer?.scalar('iteration_train_error', r.iteration, r.trainError);
      this.writer?.scalar('iteration_loss', r.iteration, r.loss);
    }
    this.rows = [];
  }
}

function formatRow(r: IterationRow): string {
  return `${r.epoch},${r.iteration},${r.trainError},${r.loss}`;
}

export function readIterations(csvPath: string): IterationRow[] {
  const lines = readFileSync(csvPath, 'utf8').trim().split('\n');
  if (lines[0] !== HEADER) throw new Error(`${csvPath}: not an iteration log (header '${lines[0]}', expected '${HEADER}')`);
  return lines.slice(1).map((line, i) => {
    const [epoch, iteration, trainError, loss] = line.split(',').map(Number);
    if (![epoch, iteration, trainError, loss].every(Number.isFinite)) throw new Error(`${csvPath}:${i + 2}: malformed row '${line}'`);
    return { epoch: epoch!, iteration: iteration!, trainError: trainError!, loss: loss! };
  });
}
