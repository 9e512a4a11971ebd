import { describe, expect, it } from 'vitest';
import type { StepResult, Tensor } from '@convzoo/backend';
import { EarlyStopping, evaluate, fit, type NonFiniteLossError, type Callback, type Logs } from '../src/index.js';
import { FakeModel, toyData } from './fake-model.js';

describe('fit', () => {
  it('learns, and returns a Keras History with loss/accuracy/val_loss/val_accuracy per epoch', async () => {
    const model = new FakeModel({ features: 4, classes: 3 });
    const h = await fit(model, toyData(90, 3), { epochs: 4, batchSize: 16, validationSplit: 0.2, seed: 1 });
    expect(h.epoch).toEqual([0, 1, 2, 3]);
    expect(Object.keys(h.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    const loss = h.history.loss!;
    expect(loss[3]!).toBeLessThan(loss[0]!);
    expect(h.history.val_accuracy![3]).toBe(1);
  });

  it('splits validation from the END before shuffling and runs ceil(n / batch) steps', async () => {
    const model = new FakeModel({ features: 4, classes: 3 });
    const data = toyData(100, 3);
    const seen: number[] = [];
    const cb: Callback = { setContext: (ctx) => seen.push(ctx.params.samples, ctx.params.steps, ctx.params.validationSamples) };
    await fit(model, data, { epochs: 1, batchSize: 32, validationSplit: 0.25, callbacks: [cb] });
    expect(seen).toEqual([75, 3, 25]);
    // every trained row comes from the first 75 samples
    const trainedRows = model.trainCalls.flat().length / 4;
    expect(trainedRows).toBe(75);
    const firstRows = new Set(Array.from({ length: 75 }, (_, i) => Array.from(data.x.data.subarray(i * 4, i * 4 + 4)).join(',')));
    const calls = model.trainCalls.flat();
    for (let i = 0; i < calls.length; i += 4) expect(firstRows.has(calls.slice(i, i + 4).join(','))).toBe(true);
  });

  it('shuffles each epoch in an order fixed by the seed; shuffle:false keeps the order', async () => {
    const order = async (seed: number, shuffle = true) => {
      const m = new FakeModel({ features: 4, classes: 3 });
      await fit(m, toyData(30, 3), { epochs: 2, batchSize: 30, seed, shuffle });
      return m.trainCalls;
    };
    const a = await order(7);
    expect(await order(7)).toEqual(a);
    expect(await order(8)).not.toEqual(a);
    expect(a[0]).not.toEqual(a[1]);
    const plain = await order(7, false);
    expect(plain[0]).toEqual(Array.from(toyData(30, 3).x.data));
  });

  it('epoch values are running means weighted by batch size, as Keras', async () => {
    // A scripted model: loss of batch b is b + 1; batches of 4, 4, 2 samples.
    const model = new FakeModel({ features: 4, classes: 3 });
    let b = 0;
    model.trainStep = async (x): Promise<StepResult> => {
      const t = x as Tensor;
      const n = t.shape[0]!;
      const out = { shape: [n, 3], data: new Float32Array(n * 3).fill(1 / 3) };
      return { loss: ++b, losses: [b], outputs: [out] };
    };
    const batchLogs: Logs[] = [];
    const own: Logs[] = [];
    const callbacks: Callback[] = [{ onBatchEnd: (_i, l, b) => void (batchLogs.push(l), own.push(b!)) }];
    const h = await fit(model, toyData(10, 3), { epochs: 1, batchSize: 4, shuffle: false, callbacks });
    expect(batchLogs.map((l) => l.loss)).toEqual([1, (4 + 8) / 8, (4 + 8 + 6) / 10]);
    expect(h.history.loss).toEqual([1.8]);
    // each batch's own values too (per-iteration curves)
    expect(own.map((l) => l.loss)).toEqual([1, 2, 3]);
    expect(Object.keys(own[0]!).sort()).toEqual(['accuracy', 'loss']);
  });

  it('continues from initialEpoch with the given history (resume)', async () => {
    const model = new FakeModel({ features: 4, classes: 3 });
    const prior = { epoch: [0, 1], history: { loss: [1, 0.5], accuracy: [0.3, 0.6] } };
    const begun: number[] = [];
    const h = await fit(model, toyData(30, 3), {
      epochs: 4,
      initialEpoch: 2,
      initialHistory: prior,
      callbacks: [{ onEpochBegin: (e) => void begun.push(e) }],
    });
    expect(begun).toEqual([2, 3]);
    expect(h.epoch).toEqual([0, 1, 2, 3]);
    expect(h.history.loss!.slice(0, 2)).toEqual([1, 0.5]);
    expect(prior.epoch).toEqual([0, 1]);
  });

  it('stops on a NaN loss naming the epoch and batch, without reporting that epoch as done', async () => {
    const model = new FakeModel({ features: 4, classes: 3, poisonAtStep: { step: 5, loss: Number.NaN } });
    const ended: number[] = [];
    let trainEnd: Logs | undefined;
    const run = fit(model, toyData(30, 3), {
      epochs: 3,
      batchSize: 10,
      callbacks: [{ onEpochEnd: (e) => void ended.push(e), onTrainEnd: (l) => void (trainEnd = l) }],
    });
    await expect(run).rejects.toThrow(/loss became NaN at epoch 2, batch 2/);
    await run.catch((e: NonFiniteLossError) => expect(e.history.epoch).toEqual([0]));
    expect(ended).toEqual([0]);
    expect(trainEnd).toEqual({ error: 1 });
  });

  it('names Keras multi-output metrics', async () => {
    const model = new FakeModel({ features: 4, classes: 3, outputs: ['main', 'aux'] });
    const d = toyData(12, 3);
    const h = await fit(model, { x: d.x, y: [d.y, d.y] }, { epochs: 1, batchSize: 6 });
    expect(Object.keys(h.history)).toEqual(['loss', 'main_loss', 'aux_loss', 'main_accuracy', 'aux_accuracy']);
    expect(h.history.loss![0]).toBeCloseTo(h.history.main_loss![0]! + h.history.aux_loss![0]!, 6);
  });

  it('rejects bad options and inconsistent data naming them', async () => {
    const model = new FakeModel({ features: 4, classes: 3 });
    const d = toyData(10, 3);
    await expect(fit(model, d, { batchSize: 0 })).rejects.toThrow(/batchSize must be an integer >= 1/);
    await expect(fit(model, d, { validationSplit: 1.5 })).rejects.toThrow(/validationSplit must be in \(0, 1\)/);
    await expect(fit(model, { x: d.x, y: { shape: [9, 3], data: new Float32Array(27) } })).rejects.toThrow(/y\[0\] has 9 samples but x\[0\] has 10/);
  });

  it('EarlyStopping stops after `patience` epochs without improvement and restores the best weights', async () => {
    const model = new FakeModel({ features: 4, classes: 3 });
    const values = [0.5, 0.4, 0.45, 0.41, 0.39];
    const es = new EarlyStopping({ monitor: 'score', patience: 2, restoreBestWeights: true, mode: 'min' });
    let bestKernel: Float32Array | undefined;
    const inject: Callback = {
      onEpochEnd: async (e, logs) => {
        logs.score = values[e]!;
        if (e === 1) bestKernel = (await model.getWeights())['dense/kernel']!.data;
      },
    };
    const h = await fit(model, toyData(30, 3), { epochs: 5, callbacks: [inject, es] });
    expect(h.epoch).toEqual([0, 1, 2, 3]);
    expect(es.stoppedEpoch).toBe(3);
    expect(model.kernel).toEqual(bestKernel);
  });
});

describe('evaluate', () => {
  it('matches Keras: batch 32 by default and means weighted by batch size', async () => {
    const model = new FakeModel({ features: 4, classes: 3 });
    await fit(model, toyData(60, 3), { epochs: 3, batchSize: 8 });
    const steps: number[] = [];
    const d = toyData(100, 3);
    const logs = await evaluate(model, d, { callbacks: [{ onTestBegin: (p) => void steps.push(p.steps) }] });
    expect(steps).toEqual([4]);
    const whole = await model.evaluateStep(d.x, d.y);
    expect(logs.loss).toBeCloseTo(whole.loss, 5);
    expect(logs.accuracy).toBe(1);
  });

  it('computes the loss in JS for inference-only models', async () => {
    const model = new FakeModel({ features: 4, classes: 3 });
    await fit(model, toyData(60, 3), { epochs: 2, batchSize: 8 });
    const d = toyData(50, 3);
    const reference = await evaluate(model, d);
    const inferenceOnly = {
      spec: model.spec,
      backend: 'fake-onnx',
      predict: model.predict.bind(model),
      getWeights: model.getWeights.bind(model),
      setWeights: model.setWeights.bind(model),
      dispose() {},
    };
    await expect(evaluate(inferenceOnly, d)).rejects.toThrow(/cannot compute a loss itself/);
    const logs = await evaluate(inferenceOnly, d, { loss: 'categoricalCrossentropy' });
    expect(logs.loss).toBeCloseTo(reference.loss!, 5);
    expect(logs.accuracy).toBe(reference.accuracy);
  });
});

describe('fit on a model that cannot train', () => {
  it('says how to get one that can', async () => {
    const m = new FakeModel({ features: 4, classes: 3 });
    const inferenceOnly = {
      spec: m.spec,
      backend: 'onnx-cpu',
      predict: m.predict.bind(m),
      getWeights: m.getWeights.bind(m),
      setWeights: m.setWeights.bind(m),
      dispose() {},
    };
    await expect(fit(inferenceOnly, toyData(10, 3))).rejects.toThrow(/backend 'onnx-cpu' cannot train: compile it with \{ training \}/);
  });
});
