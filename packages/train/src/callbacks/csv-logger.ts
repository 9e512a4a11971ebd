// Keras' CSVLogger (`epoch` then the first epoch's log keys sorted; a key missing later is written 'NA', as Keras
// does) and a JSON-lines variant, one line per epoch.
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Callback, Logs } from '../types.js';

export interface LogFileOptions {
  /** Keep existing lines (resume) instead of starting a new file. Default false. */
  append?: boolean;
}

abstract class EpochLogFile implements Callback {
  private started = false;
  /** The columns, fixed by the first epoch written (or the header of the file appended to). */
  protected keys: string[] | undefined;

  constructor(
    protected readonly path: string,
    private readonly options: LogFileOptions = {},
  ) {}

  protected abstract header(keys: string[]): string | undefined;
  protected abstract row(epoch: number, logs: Logs, keys: string[]): string;

  onTrainBegin(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    this.started = Boolean(this.options.append) && existsSync(this.path) && statSync(this.path).size > 0;
    this.keys = this.started ? this.keysOf(readFileSync(this.path, 'utf8')) : undefined;
    if (!this.options.append) appendFileSync(this.path, '', { flag: 'w' });
  }

  /** The columns an existing file declares (undefined: they come from the next epoch's logs). */
  protected keysOf(_text: string): string[] | undefined {
    return undefined;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    this.keys ??= Object.keys(logs).sort();
    const keys = this.keys;
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

  protected override keysOf(text: string): string[] | undefined {
    const header = text.slice(0, text.indexOf('\n') >>> 0).split(',');
    return header[0] === 'epoch' ? header.slice(1) : undefined;
  }

  protected row(epoch: number, logs: Logs, keys: string[]): string {
    const extra = Object.keys(logs).filter((k) => !keys.includes(k));
    if (extra.length > 0) throw new Error(`${this.path}: epoch ${epoch} logs ${extra.join(', ')}, not among the file's columns (${keys.join(', ')})`);
    return [String(epoch), ...keys.map((k) => (k in logs ? String(logs[k]) : 'NA'))].join(',');
  }
}

export class JsonLinesLogger extends EpochLogFile {
  protected header(): undefined {
    return undefined;
  }

  protected row(epoch: number, logs: Logs): string {
    // Every key of this epoch, whatever the first epoch had.
    return JSON.stringify({ epoch, ...logs });
  }
}
