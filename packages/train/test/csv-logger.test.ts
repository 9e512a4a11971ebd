// CsvLogger writes Keras' CSVLogger file (a header `epoch` + the log keys sorted, one row per epoch, the columns fixed
// by the first epoch and 'NA' for a key missing later), starts a new file unless appending, and on a resume appends
// under the existing header; JsonLinesLogger writes one JSON object per epoch. Also driven through fit().
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvLogger, fit, JsonLinesLogger } from '../src/index.js';
import { FakeModel, toyData } from './fake-model.js';

const dir = mkdtempSync(join(tmpdir(), 'convzoo-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const lines = (path: string) => readFileSync(path, 'utf8').split('\n');

/** Runs the logger's callbacks over epochs of logs, as fit() calls them. */
function log(logger: CsvLogger | JsonLinesLogger, epochs: [number, Record<string, number>][]) {
  logger.onTrainBegin();
  for (const [epoch, logs] of epochs) logger.onEpochEnd(epoch, logs);
}

describe('CsvLogger', () => {
  it("writes Keras' layout: epoch, then the keys sorted; one row per epoch; creates missing folders", () => {
    const path = join(dir, 'new', 'deeper', 'log.csv');
    log(new CsvLogger(path), [
      [0, { val_loss: 0.75, loss: 1.5, accuracy: 0.25, val_accuracy: 0.5 }],
      [1, { loss: 0.5, val_loss: 0.625, val_accuracy: 0.75, accuracy: 0.875 }],
    ]);
    expect(lines(path)).toEqual(['epoch,accuracy,loss,val_accuracy,val_loss', '0,0.25,1.5,0.5,0.75', '1,0.875,0.5,0.75,0.625', '']);
  });

  it("keeps the first epoch's columns: a key missing later is NA; a key the file has no column for is an error naming the file", () => {
    const path = join(dir, 'na.csv');
    const logger = new CsvLogger(path);
    log(logger, [
      [0, { loss: 1, val_loss: 2 }],
      [1, { loss: 0.5 }],
    ]);
    expect(lines(path)).toEqual(['epoch,loss,val_loss', '0,1,2', '1,0.5,NA', '']);
    expect(() => logger.onEpochEnd(2, { loss: 0.25, lr: 0.1 })).toThrow(`${path}: epoch 2 logs lr, not among the file's columns (loss, val_loss)`);
  });

  it('starts a new file unless appending: an existing log is replaced', () => {
    const path = join(dir, 'replace.csv');
    writeFileSync(path, 'epoch,loss\n0,9\n1,8\n');
    log(new CsvLogger(path), [[0, { loss: 1 }]]);
    expect(lines(path)).toEqual(['epoch,loss', '0,1', '']);
  });

  it("appends under the existing header on a resume (no second header), in the file's column order", () => {
    const path = join(dir, 'resume.csv');
    log(new CsvLogger(path), [[0, { loss: 1, accuracy: 0.5 }]]);
    log(new CsvLogger(path, { append: true }), [[1, { accuracy: 0.75, loss: 0.5 }]]);
    expect(lines(path)).toEqual(['epoch,accuracy,loss', '0,0.5,1', '1,0.75,0.5', '']);
  });

  it('appending to a missing or empty file writes the header first', () => {
    const missing = join(dir, 'append-missing.csv');
    log(new CsvLogger(missing, { append: true }), [[3, { loss: 2 }]]);
    expect(lines(missing)).toEqual(['epoch,loss', '3,2', '']);
    const empty = join(dir, 'append-empty.csv');
    writeFileSync(empty, '');
    log(new CsvLogger(empty, { append: true }), [[0, { loss: 1 }]]);
    expect(lines(empty)).toEqual(['epoch,loss', '0,1', '']);
  });

  it('writes the values JavaScript prints for them (full precision, NaN as NaN)', () => {
    const path = join(dir, 'values.csv');
    log(new CsvLogger(path), [[0, { loss: Math.fround(0.1), accuracy: 1 / 3, bad: Number.NaN }]]);
    expect(lines(path)[1]).toBe(`0,${1 / 3},NaN,${Math.fround(0.1)}`);
  });

  it('logs every epoch of fit(), under the keys fit() reports', async () => {
    const path = join(dir, 'fit.csv');
    await fit(new FakeModel({ features: 4, classes: 3 }), toyData(40, 3), {
      epochs: 3,
      batchSize: 8,
      validationSplit: 0.25,
      seed: 1,
      callbacks: [new CsvLogger(path)],
    });
    const [header, ...rows] = lines(path).filter(Boolean);
    expect(header).toBe('epoch,accuracy,loss,val_accuracy,val_loss');
    expect(rows.map((r) => r.split(',')[0])).toEqual(['0', '1', '2']);
    for (const r of rows) for (const v of r.split(',').slice(1)) expect(Number.isFinite(Number(v)), r).toBe(true);
  });
});

describe('JsonLinesLogger', () => {
  it('writes one JSON object per epoch with every key of that epoch, and appends on a resume', () => {
    const path = join(dir, 'jsonl', 'log.jsonl');
    mkdirSync(join(dir, 'jsonl'), { recursive: true });
    log(new JsonLinesLogger(path), [
      [0, { loss: 1 }],
      [1, { loss: 0.5, val_loss: 0.75 }],
    ]);
    log(new JsonLinesLogger(path, { append: true }), [[2, { loss: 0.25 }]]);
    expect(
      lines(path)
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { epoch: 0, loss: 1 },
      { epoch: 1, loss: 0.5, val_loss: 0.75 },
      { epoch: 2, loss: 0.25 },
    ]);
  });
});
