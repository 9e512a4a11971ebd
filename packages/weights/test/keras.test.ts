// Keras 3 files without Python: archives, weights-only and legacy HDF5 files saved by Keras itself (fixtures made by
// test/fixtures/keras/make_keras_fixture.py) are read into specs; convzoo's own archives match their structure.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { countParams, SpecBuilder, type ModelSpec } from '@convzoo/models';
import { initWeights, type WeightMap } from '@convzoo/backend';
import {
  KerasExportError,
  WeightImportError,
  kerasConfigToSpec,
  readKerasArchive,
  readKerasH5Model,
  readKerasWeights,
  specToKerasConfig,
  unzipKerasArchive,
  writeKerasArchive,
} from '../src/index.js';
import { containerKeys, toSnakeCase } from '../src/keras/naming.js';
import { kerasLayerOrder } from '../src/keras/order.js';
import { readH5 } from '../src/keras/hdf5.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'keras');
const bytes = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));
const json = (zip: Uint8Array, entry: string) => JSON.parse(strFromU8(unzipKerasArchive(zip, 'x')[entry]!)) as Record<string, any>;

/** Group path -> `name` attribute and dataset shapes, as h5py's visititems shows them. */
async function h5Listing(h5: Uint8Array): Promise<string[]> {
  return readH5(h5, 'listing', (file) => {
    const out: string[] = [];
    for (const path of file.paths()) {
      const e = file.get(path) as any;
      const name = e.attrs?.name?.value;
      out.push(`${path}${name != null ? ` name=${name}` : ''}${e.shape ? ` [${e.shape.join(',')}] ${e.dtype}` : ''}`);
    }
    return out.sort();
  });
}

const expectSameWeights = (a: WeightMap, b: WeightMap) => {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  for (const k of Object.keys(a)) {
    expect(a[k]!.shape, k).toEqual(b[k]!.shape);
    expect(a[k]!.data, k).toEqual(b[k]!.data);
  }
};

describe('reading what Keras 3.15 saved', () => {
  it('a Sequential LeNet trained in Keras: spec, 431,080 parameters, optimizer state ignored', async () => {
    const a = await readKerasArchive(bytes('lenet-keras-trained.keras'), 'lenet-keras-trained.keras');
    expect(a.metadata.keras_version).toBe('3.15.1');
    expect(a.spec.layers.map((l) => `${l.kind}:${l.name}`)).toEqual([
      'input:input_layer',
      'conv2d:conv2d',
      'maxPool2d:max_pooling2d',
      'conv2d:conv2d_1',
      'maxPool2d:max_pooling2d_1',
      'flatten:flatten',
      'dense:dense',
      'dense:dense_1',
    ]);
    expect(countParams(a.spec).total).toBe(431_080);
    expect(a.weights['conv2d/kernel']!.shape).toEqual([5, 5, 1, 20]);
    expect(a.weights['dense_1/bias']!.shape).toEqual([10]);
    // Trained, not initial: Keras initialises biases to zero.
    expect(a.weights['dense_1/bias']!.data.some((v) => v !== 0)).toBe(true);
  });

  it('a Functional model with every mapped layer class; .weights.h5 and legacy .h5 give the same weights', async () => {
    const a = await readKerasArchive(bytes('layers-keras.keras'), 'layers-keras.keras');
    expect(new Set(a.spec.layers.map((l) => l.kind))).toEqual(
      new Set([
        'input',
        'zeroPad2d',
        'conv2d',
        'batchNorm',
        'activation',
        'concat',
        'add',
        'maxPool2d',
        'avgPool2d',
        'resize',
        'flatten',
        'dropout',
        'globalAvgPool2d',
        'dense',
      ]),
    );
    expect(a.spec.outputs).toEqual(['probs', 'side']);
    const bn = a.spec.layers.find((l) => l.name === 'bn')!;
    expect(bn).toMatchObject({ kind: 'batchNorm', epsilon: 1.001e-5, momentum: 0.99 });
    expect(a.weights['bn/moving_variance']!.data[7]).toBeCloseTo(2, 6);
    expectSameWeights(await readKerasWeights(bytes('layers-keras.weights.h5'), a.spec, 'layers-keras.weights.h5'), a.weights);
    const legacy = await readKerasH5Model(bytes('layers-keras.h5'), 'layers-keras.h5');
    expect(legacy.spec.layers).toEqual(a.spec.layers);
    expectSameWeights(legacy.weights, a.weights);
  });
});

describe('writing .keras archives', () => {
  it('matches the structure of the archive Keras saved: config.json layer by layer, h5 groups, names, shapes', async () => {
    const theirs = bytes('layers-keras.keras');
    const a = await readKerasArchive(theirs, 'layers-keras.keras');
    const ours = await writeKerasArchive(a.spec, a.weights, { producer: 'convzoo test' });
    const [t, o] = [json(theirs, 'config.json'), json(ours, 'config.json')];
    // Keras records call-time arguments of some layers (Dropout training=False, Resizing training=True); convzoo
    // writes none there (their meaning at load time is the default), and object ids are per Python process.
    const normal = (c: Record<string, any>) =>
      JSON.parse(
        JSON.stringify(c)
          .replace(/,"shared_object_id":\d+/g, '')
          .replace(/"kwargs":\{"training":(true|false)\}/g, '"kwargs":{}'),
      );
    expect(normal(o)).toEqual(normal(t));
    expect(Object.keys(unzipSync(ours)).sort()).toEqual(Object.keys(unzipSync(theirs)).sort());
    expect(json(ours, 'metadata.json')).toMatchObject({ keras_version: '3.15.1', convzoo_version: 'convzoo test' });
    const listing = async (zip: Uint8Array) => h5Listing(unzipKerasArchive(zip, 'x')['model.weights.h5']!);
    expect(await listing(ours)).toEqual(await listing(theirs));
  });

  it('round-trips spec and weights exactly, and writes the same bytes twice', async () => {
    const b = new SpecBuilder('tiny');
    let x = b.input([9, 9, 2]);
    x = b.conv2d(x, { filters: 3, kernelSize: 3, padding: { top: 1, bottom: 0, left: 0, right: 1 }, activation: 'relu' });
    x = b.maxPool2d(x, { poolSize: 2, padding: { top: 0, bottom: 1, left: 1, right: 0 } });
    x = b.batchNorm(x, { center: false });
    x = b.dense(b.flatten(x), { units: 4, activation: 'softmax', useBias: false });
    const spec = b.build(x);
    const weights = initWeights(spec, 3);
    const date = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
    const file = await writeKerasArchive(spec, weights, { date });
    expect(await writeKerasArchive(spec, weights, { date })).toEqual(file);
    expect(json(file, 'metadata.json').date_saved).toBe('2026-01-02@03:04:05');
    // Explicit padding became a ZeroPadding2D before the conv and the pool (the pool reads a ReLU output).
    const names = (json(file, 'config.json').config.layers as { name: string; class_name: string }[]).map((l) => `${l.class_name}:${l.name}`);
    expect(names).toContain('ZeroPadding2D:conv2d_pad');
    expect(names).toContain('ZeroPadding2D:max_pooling2d_pad');
    // Read back into the original spec: identical weights.
    expectSameWeights((await readKerasArchive(file, 'tiny.keras', spec)).weights, weights);
    // Read back as its own spec: the padding layers are explicit, the parameters the same.
    const back = await readKerasArchive(file, 'tiny.keras');
    expect(countParams(back.spec)).toEqual(countParams(spec));
    expectSameWeights(back.weights, weights);
  });
});

describe('Keras naming and ordering', () => {
  it('snake_cases class names and numbers repeats as keras.src.utils.naming does', () => {
    expect(['Conv2D', 'MaxPooling2D', 'BatchNormalization', 'GlobalAveragePooling2D', 'ZeroPadding2D', 'InputLayer'].map(toSnakeCase)).toEqual([
      'conv2d',
      'max_pooling2d',
      'batch_normalization',
      'global_average_pooling2d',
      'zero_padding2d',
      'input_layer',
    ]);
    expect(containerKeys(['Conv2D', 'Dense', 'Conv2D', 'Conv2D'])).toEqual(['conv2d', 'dense', 'conv2d_1', 'conv2d_2']);
  });

  it('orders layers by depth, then traversal, as Keras map_graph (an inception-like fork)', () => {
    const nodes = [
      { name: 'in', inputs: [] },
      { name: 'a1', inputs: ['in'] },
      { name: 'b1', inputs: ['in'] },
      { name: 'b2', inputs: ['b1'] },
      { name: 'cat', inputs: ['a1', 'b2'] },
      { name: 'out', inputs: ['cat'] },
    ];
    // Depths: out 0, cat 1, a1 2, b2 2, b1 3, in 4; at depth 2 a1 was visited before b2.
    expect(kerasLayerOrder(nodes, ['in'], ['out'])).toEqual(['in', 'b1', 'a1', 'b2', 'cat', 'out']);
  });
});

describe('errors name the file, the layer and the rule', () => {
  const lenetSpec = async () => (await readKerasArchive(bytes('lenet-keras-trained.keras'), 'lenet.keras')).spec;

  it('a parameter of the wrong shape', async () => {
    const spec = await lenetSpec();
    const other: ModelSpec = { ...spec, layers: spec.layers.map((l) => (l.name === 'dense' ? ({ ...l, units: 400 } as typeof l) : l)) };
    await expect(readKerasArchive(bytes('lenet-keras-trained.keras'), 'lenet.keras', other)).rejects.toThrow(
      /lenet\.keras\/model\.weights\.h5: weight 'dense\/kernel' has shape \[800, 500\] but model 'lenet_keras' expects \[800, 400\]/,
    );
  });

  it('weights for a layer the spec lacks; a file that is not a zip or HDF5; an archive without config.json', async () => {
    const spec = await lenetSpec();
    const renamed: ModelSpec = { ...spec, layers: spec.layers.map((l) => (l.name === 'dense_1' ? { ...l, name: 'logits' } : l)), outputs: ['logits'] };
    await expect(readKerasArchive(bytes('lenet-keras-trained.keras'), 'lenet.keras', renamed)).rejects.toThrow(
      /weights for layer 'dense_1', which spec 'lenet_keras' lacks/,
    );
    await expect(readKerasArchive(strToU8('hello'), 'notes.keras')).rejects.toThrow(WeightImportError);
    await expect(readKerasArchive(strToU8('hello'), 'notes.keras')).rejects.toThrow(/notes\.keras: not a \.keras archive/);
    await expect(readKerasWeights(strToU8('hello there!'), spec, 'w.h5')).rejects.toThrow(/w\.h5: not an HDF5 file/);
    const noConfig = zipSync({ 'metadata.json': strToU8('{}'), 'model.weights.h5': new Uint8Array(8) });
    await expect(readKerasArchive(noConfig, 'x.keras')).rejects.toThrow(/x\.keras: the archive has no config\.json/);
    await expect(readKerasH5Model(bytes('layers-keras.weights.h5'), 'w.weights.h5')).rejects.toThrow(/weights-only Keras file/);
  });

  it('a Keras layer class convzoo has no kind for', () => {
    const config = json(bytes('lenet-keras-trained.keras'), 'config.json');
    config.config.layers[2].class_name = 'LSTM';
    expect(() => kerasConfigToSpec(config, 'c.json')).toThrow(/c\.json: layer 'max_pooling2d' \(LSTM\) has no convzoo layer kind/);
  });

  it('layers Keras has no class for are refused by name (LRN; average pooling with explicit padding)', () => {
    const b = new SpecBuilder('with_lrn');
    const x = b.input([8, 8, 3]);
    const spec = b.build(b.lrn(b.conv2d(x, { filters: 4, kernelSize: 3 }), { name: 'norm1' }));
    expect(() => specToKerasConfig(spec)).toThrow(KerasExportError);
    expect(() => specToKerasConfig(spec)).toThrow(/layer 'norm1' \(lrn, local response normalisation\) has no Keras layer class/);
    const c = new SpecBuilder('avg_pad');
    const y = c.input([8, 8, 3]);
    const padded = c.build(c.avgPool2d(y, { name: 'pool', poolSize: 3, padding: { top: 1, bottom: 1, left: 1, right: 1 } }));
    expect(() => specToKerasConfig(padded)).toThrow(/layer 'pool' \(avgPool2d\) has explicit padding/);
    const d = new SpecBuilder('max_pad');
    const z = d.input([8, 8, 3]);
    const maxPadded = d.build(d.maxPool2d(z, { name: 'pool', poolSize: 3, padding: { top: 1, bottom: 1, left: 1, right: 1 } }));
    expect(() => specToKerasConfig(maxPadded)).toThrow(/layer 'pool' \(maxPool2d\) has explicit padding and its input '.*' may be negative/);
  });
});
