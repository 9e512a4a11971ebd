import { describe, expect, it } from 'vitest';
import { SpecBuilder, analysisTable, summary } from '../src/index.js';
import { tutorialLeNet, vgg16 } from './fixtures.js';

// The tutorial's `model.summary()` rows (Keras 2), with the type name Keras cut to "MaxPooling2" restored.
const TUTORIAL_ROWS = [
  ['conv2d (Conv2D)', '(None, 24, 24, 20)', '520'],
  ['max_pooling2d (MaxPooling2D)', '(None, 12, 12, 20)', '0'],
  ['conv2d_1 (Conv2D)', '(None, 8, 8, 50)', '25050'],
  ['max_pooling2d_1 (MaxPooling2D)', '(None, 4, 4, 50)', '0'],
  ['flatten (Flatten)', '(None, 800)', '0'],
  ['dense (Dense)', '(None, 500)', '400500'],
  ['dense_1 (Dense)', '(None, 10)', '5010'],
];

/** Table body rows: the lines between the header's `=` rule and the closing one, minus `_` separators. */
function bodyRows(text: string): string[][] {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => /^=+$/.test(l));
  const last = lines.findIndex((l, i) => i > first && /^=+$/.test(l));
  return lines
    .slice(first + 1, last)
    .filter((l) => !/^_+$/.test(l))
    .map((l) => l.trim().split(/\s{2,}|(?<=\))\s(?=\()/));
}

describe('summary', () => {
  const text = summary(tutorialLeNet());

  it('prints exactly the tutorial LeNet rows and totals', () => {
    expect(bodyRows(text)).toEqual(TUTORIAL_ROWS);
    expect(text).toContain('Total params: 431,080\nTrainable params: 431,080\nNon-trainable params: 0\n');
    expect(text.split('\n')[0]).toBe('Model: "sequential"');
    expect(text).toMatch(/^Layer \(type\)\s+Output Shape\s+Param #$/m);
  });

  it('keeps Keras column positions where names fit, widening instead of truncating', () => {
    const lines = text.split('\n');
    const conv = lines.find((l) => l.startsWith('conv2d (Conv2D)'))!;
    expect(conv.indexOf('(None')).toBe(31); // 29 in Keras 2, +2 so "max_pooling2d_1 (MaxPooling2D)" fits
    expect(summary(tutorialLeNet(), { lineLength: 100 }).split('\n')[1]!.length).toBe(100);
    expect(text).not.toMatch(/MaxPooling2 /);
  });

  it('adds Connected to and the input row for branching graphs', () => {
    const b = new SpecBuilder('branchy');
    const x = b.input([8, 8, 3]);
    const c = b.concat([b.conv2d(x, { filters: 2, kernelSize: 1 }), b.conv2d(x, { filters: 3, kernelSize: 3, padding: 'same' })]);
    const out = summary(b.build(c));
    expect(out).toMatch(/^Layer \(type\)\s+Output Shape\s+Param #\s+Connected to$/m);
    expect(out).toMatch(/^input_layer \(InputLayer\)\s+\[\(None, 8, 8, 3\)\]\s+0$/m);
    expect(out).toMatch(/^concatenate \(Concatenate\)\s+\(None, 8, 8, 5\)\s+0\s+conv2d\[0\]\[0\]\n\s+conv2d_1\[0\]\[0\]$/m);
  });

  it('prints cost columns and totals in the analysis table', () => {
    const t = analysisTable(vgg16());
    expect(t).toMatch(/^conv2d_1 \(Conv2D\)\s+\(None, 224, 224, 64\)\s+36,928\s+1\.85G\s+3,211,264\s+12\.25 MiB\s+5\s+1$/m);
    expect(t).toContain('Total params: 138,357,544 (527.79 MiB as float32)');
    expect(t).toContain('Activations per image: 15,262,696 floats = 58.22 MiB');
    expect(summary(vgg16(), { analysis: true })).toBe(t);
  });
});
