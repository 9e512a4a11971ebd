import { describe, expect, it } from 'vitest';
import { fit, formatValue, ProgressBar, progressLine } from '../src/index.js';
import { FakeModel, toyData } from './fake-model.js';

describe('Keras progbar text', () => {
  it("reproduces the tutorial's finished epoch line byte for byte", () => {
    const logs = { loss: 1.1945, accuracy: 0.658, val_loss: 0.46, val_accuracy: 0.8544 };
    expect(progressLine(24, 24, 2.064, logs, Object.keys(logs))).toBe(
      '24/24 [==============================] - 2s 86ms/step - loss: 1.1945 - accuracy: 0.6580 - val_loss: 0.4600 - val_accuracy: 0.8544',
    );
    expect(progressLine(313, 313, 0.9, { loss: 0.1405, accuracy: 0.9578 }, ['loss', 'accuracy'])).toBe(
      '313/313 [==============================] - 1s 3ms/step - loss: 0.1405 - accuracy: 0.9578',
    );
  });

  it('draws the arrow and ETA while running, padded like Keras', () => {
    expect(progressLine(1, 24, 0.01, { loss: 2.3028, accuracy: 0.1016 }, ['loss', 'accuracy'])).toBe(
      ' 1/24 [>.............................] - ETA: 0s - loss: 2.3028 - accuracy: 0.1016',
    );
    expect(progressLine(2, 24, 0.4, { loss: 2.287 }, ['loss'])).toBe(' 2/24 [=>............................] - ETA: 4s - loss: 2.2870');
    expect(progressLine(1, 469, 1, {}, [])).toBe('  1/469 [..............................] - ETA: 7:48');
  });

  it('formats small values with Python %.4e', () => {
    expect(formatValue(0.00012345)).toBe('1.2345e-04');
    expect(formatValue(0.5)).toBe('0.5000');
    expect(formatValue(Number.NaN)).toBe('nan');
  });
});

describe('ProgressBar', () => {
  it('prints plain lines, one per epoch, when not a TTY', async () => {
    const lines: string[] = [];
    const m = new FakeModel({ features: 4, classes: 3 });
    await fit(m, toyData(40, 3), { epochs: 2, batchSize: 8, validationSplit: 0.25, callbacks: [new ProgressBar({ line: (l) => lines.push(l) })] });
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('Epoch 1/2');
    expect(lines[1]).toMatch(
      /^4\/4 \[=+\] - \d+s \d+(us|ms)\/step - loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4} - val_time: \d+s \d+(us|ms)\/step$/,
    );
    expect(lines.join('')).not.toContain('\r');
  });

  it('redraws in place on a TTY and ends each epoch with a newline', async () => {
    const lines: string[] = [];
    let raw = '';
    let t = 0;
    const bar = new ProgressBar({ line: (l) => lines.push(l), redraw: (c) => (raw += c), now: () => (t += 0.1) });
    const m = new FakeModel({ features: 4, classes: 3 });
    await fit(m, toyData(40, 3), { epochs: 1, batchSize: 8, callbacks: [bar] });
    expect(lines).toEqual(['Epoch 1/1']);
    const draws = raw.split('\r').slice(1);
    expect(draws).toHaveLength(5);
    expect(draws[0]).toMatch(/^1\/5 \[=====>\.{24}\] - ETA: 0s - loss: /);
    expect(draws[4]).toMatch(/^5\/5 \[={30}\] - 1s 100ms\/step - loss: \d\.\d{4} - accuracy: \d\.\d{4}\s*\n$/);
  });

  it('times the training steps apart from the validation pass after them (issue 28)', async () => {
    const lines: string[] = [];
    let t = 0;
    // Each training step takes 25 ms; the validation pass 2 s more, whatever its batches.
    class SlowValidation extends FakeModel {
      override async evaluateStep(...args: Parameters<FakeModel['evaluateStep']>) {
        t += 1;
        return super.evaluateStep(...args);
      }
    }
    const bar = new ProgressBar({ line: (l) => lines.push(l), now: () => t });
    const tick = { onBatchEnd: () => void (t += 0.025) };
    const m = new SlowValidation({ features: 4, classes: 3 });
    // 32 training samples (4 steps of 8), 16 validation samples (2 steps).
    await fit(m, toyData(48, 3), { epochs: 1, batchSize: 8, validationSplit: 1 / 3, callbacks: [tick, bar] });
    expect(lines[1]).toMatch(/^4\/4 \[=+\] - 0s 25ms\/step - loss: .* - val_accuracy: \d\.\d{4} - val_time: 2s 1s\/step$/);
  });
});
