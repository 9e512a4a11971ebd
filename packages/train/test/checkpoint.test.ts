import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSafetensors } from '@convzoo/io';
import { describe, expect, it } from 'vitest';
import { fit, loadCheckpoint, ModelCheckpoint, readPointer, saveSnapshot, type Snapshot } from '../src/index.js';
import { FakeModel, toyData } from './fake-model.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'ckpt-'));

function snapshot(epoch: number): Snapshot {
  const model = new FakeModel({ features: 2, classes: 2 });
  return {
    spec: model.spec,
    weights: { 'dense/kernel': { shape: [2, 2], data: Float32Array.from([epoch, 1, 2, 3]) } },
    optimizer: { step: epoch * 10, slots: { 'dense/kernel/momentum': { shape: [2, 2], data: Float32Array.from([0.5, 0, 0, epoch]) } } },
    state: { format: 'convzoo.train-state/1', epoch, history: { epoch: [epoch - 1], history: { loss: [1 / epoch] } }, seed: 42 },
  };
}

describe('checkpoint files', () => {
  it('round-trips weights, optimizer state, spec and training state through safetensors and JSON', () => {
    const dir = tmp();
    const path = saveSnapshot(dir, snapshot(3));
    expect(path).toBe(join(dir, 'epoch-0003'));
    expect(readdirSync(path).sort()).toEqual(['digests.json', 'optimizer.safetensors', 'spec.json', 'state.json', 'weights.safetensors']);
    const back = loadCheckpoint(dir);
    expect(back.state.epoch).toBe(3);
    expect(back.state.seed).toBe(42);
    expect(back.spec.name).toBe('fake');
    expect(Array.from(back.weights['dense/kernel']!.data)).toEqual([3, 1, 2, 3]);
    expect(back.optimizer?.step).toBe(30);
    expect(Array.from(back.optimizer!.slots['dense/kernel/momentum']!.data)).toEqual([0.5, 0, 0, 3]);
    // A snapshot directory can also be loaded directly.
    expect(loadCheckpoint(path).state.epoch).toBe(3);
  });

  it('moves the pointer, keeps the newest snapshots and the best one, and clears unfinished writes', () => {
    const dir = tmp();
    saveSnapshot(dir, snapshot(1), { best: true, keep: 2 });
    mkdirSync(join(dir, '.tmp-999-0-epoch-0002'));
    writeFileSync(join(dir, '.tmp-999-0-epoch-0002', 'weights.safetensors'), 'half');
    for (const e of [2, 3, 4]) saveSnapshot(dir, snapshot(e), { keep: 2 });
    const p = readPointer(dir)!;
    expect(p.latest).toBe('epoch-0004');
    expect(p.best).toBe('epoch-0001');
    expect(p.saved).toEqual(['epoch-0001', 'epoch-0003', 'epoch-0004']);
    expect(
      readdirSync(dir)
        .filter((n) => !n.startsWith('.tmp-'))
        .sort(),
    ).toEqual(['checkpoint.json', 'epoch-0001', 'epoch-0003', 'epoch-0004']);
    expect(loadCheckpoint(dir, 'best').state.epoch).toBe(1);
  });

  it('never reuses a directory the pointer still refers to', () => {
    const dir = tmp();
    saveSnapshot(dir, snapshot(1));
    saveSnapshot(dir, snapshot(1)); // a fresh run writing into the same directory
    expect(readPointer(dir)!.latest).toBe('epoch-0001-1');
    expect(existsSync(join(dir, 'epoch-0001'))).toBe(true);
  });

  it('names what is missing or broken', () => {
    const dir = tmp();
    expect(() => loadCheckpoint(join(dir, 'nope'))).toThrow(/checkpoint directory .*nope does not exist/);
    expect(() => loadCheckpoint(dir)).toThrow(/holds no checkpoint/);
    const path = saveSnapshot(dir, snapshot(2));
    writeFileSync(join(path, 'weights.safetensors'), new Uint8Array(4));
    expect(() => loadCheckpoint(dir)).toThrow(/weights\.safetensors/);
  });
});

describe('ModelCheckpoint', () => {
  it('saves every epoch with the history so far, marks the best by val_loss, and resumes', async () => {
    const dir = tmp();
    const model = new FakeModel({ features: 4, classes: 3 });
    const saves: number[] = [];
    const cb = new ModelCheckpoint({ dir, seed: 5, onSave: (_p, e) => saves.push(e), keep: 10 });
    const data = toyData(60, 3);
    const h = await fit(model, data, { epochs: 2, batchSize: 10, validationSplit: 0.2, seed: 5, callbacks: [cb] });
    expect(saves).toEqual([0, 1]);
    const ck = loadCheckpoint(dir);
    expect(ck.state.epoch).toBe(2);
    expect(ck.state.history).toEqual(h);
    const state = JSON.parse(readFileSync(join(dir, 'epoch-0002', 'state.json'), 'utf8'));
    expect(state.extra.monitor).toBe('val_loss');
    expect(readSafetensors(new Uint8Array(readFileSync(join(dir, 'epoch-0002', 'weights.safetensors')))).weights['dense/kernel']!.data).toEqual(model.kernel);

    // Resume: a fresh model from the checkpoint continues to epoch 4 exactly as an uninterrupted run does.
    const resumed = new FakeModel({ features: 4, classes: 3 });
    await resumed.setWeights(ck.weights);
    await resumed.setOptimizerState(ck.optimizer!);
    const h2 = await fit(resumed, data, {
      epochs: 4,
      batchSize: 10,
      validationSplit: 0.2,
      seed: 5,
      initialEpoch: ck.state.epoch,
      initialHistory: ck.state.history,
    });
    const straight = new FakeModel({ features: 4, classes: 3 });
    const h3 = await fit(straight, data, { epochs: 4, batchSize: 10, validationSplit: 0.2, seed: 5 });
    expect(h2).toEqual(h3);
    expect(resumed.kernel).toEqual(straight.kernel);
  });

  it('saveBestOnly writes only improving epochs', async () => {
    const dir = tmp();
    const model = new FakeModel({ features: 4, classes: 3 });
    const scores = [0.3, 0.5, 0.4];
    const saves: number[] = [];
    await fit(model, toyData(30, 3), {
      epochs: 3,
      callbacks: [
        { onEpochEnd: (e, logs) => void (logs.val_accuracy = scores[e]!) },
        new ModelCheckpoint({ dir, monitor: 'val_accuracy', saveBestOnly: true, onSave: (_p, e) => saves.push(e) }),
      ],
    });
    expect(saves).toEqual([0, 1]);
    expect(readPointer(dir)!.best).toBe('epoch-0002');
  });
});

describe('NaN loss', () => {
  it('keeps the last good checkpoint: the poisoned epoch is never saved', async () => {
    const dir = tmp();
    const model = new FakeModel({ features: 4, classes: 3, poisonAtStep: { step: 8, loss: Number.POSITIVE_INFINITY } });
    const cb = new ModelCheckpoint({ dir });
    await expect(fit(model, toyData(30, 3), { epochs: 4, batchSize: 10, callbacks: [cb] })).rejects.toThrow(/loss became Infinity at epoch 3, batch 2/);
    expect(readPointer(dir)!.latest).toBe('epoch-0002');
    expect(cb.lastSaved).toBe(join(dir, 'epoch-0002'));
    expect(loadCheckpoint(dir).state.history.epoch).toEqual([0, 1]);
  });
});
