// Keras' CSVLogger (`epoch` then the log keys sorted) and a JSON-lines variant, one line per epoch.
import { appendFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Callback, Logs } from '../types.js';

export interface LogFileOptions {
  /** Keep existing lines (resume) instead of starting a new file. Default false. */
  append?: boolean;
}

abstract class EpochLogFile implements Callback {
  private started = false;

  constructor(
    protected readonly path: string,
    private readonly options: LogFileOptions = {},
  ) {}

  protected abstract header(keys: string[]): string | undefined;
  protected abstract row(epoch: number, logs: Logs, keys: string[]): string;

  onTrainBegin(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    this.started = Boolean(this.options.append) && existsSync(this.path) && statSync(this.path).size > 0;
    if (!this.options.append) appendFileSync(this.path, '', { flag: 'w' });
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const keys = Object.keys(logs).sort();
    let text = '';
    if (!this.started) {
      const h = this.header(keys);
      if (h !== undefined) text += `${h}\n`;
      this.started = true;
    }
    appendFileSync(this.path, `${text}${this.row(epoch, logs, keys)}\n`);
  }
}

export class CsvLogger extends EpochLogFile {
  protected header(keys: string[]): string {
    return ['epoch', ...keys].join(',');
  }

  protected row(epoch: number, logs: Logs, keys: string[]): string {
    return [String(epoch), ...keys.map((k) => String(logs[k]))].join(',');
  }
}

export class JsonLinesLogger extends EpochLogFile {
  protected header(): undefined {
    return undefined;
  }

  protected row(epoch: number, logs: Logs): string {
    return JSON.stringify({ epoch, ...logs });
  }
}
