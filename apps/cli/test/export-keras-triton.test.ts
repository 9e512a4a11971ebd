// Beyond one machine: models trained in Keras come back (`eval model.keras`, `export model.keras --format onnx`),
// convzoo models go out as .keras archives and Triton model repositories, pretrained weights carry their recipe.
// Keras-side numbers are fixtures saved by Keras itself (packages/weights/test/fixtures/keras/make_keras_fixture.py).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import protobuf from 'protobufjs';
import { SpecBuilder, getModel, specToJSON } from '@convzoo/models';
import { compile, initialWeights } from '@convzoo/backend';
import { decodeModel, registerOnnxBackends } from '@convzoo/backend-onnx';
import { getPretrained, isFetched, readKerasArchive } from '@convzoo/weights';
import { cli, expectSuccess } from './cli-runner.js';
import { parseTextFormat } from './triton/pbtxt.js';

const KERAS = fileURLToPath(new URL('../../../packages/weights/test/fixtures/keras/', import.meta.url));
const tmp = () => mkdtempSync(join(tmpdir(), 'convzoo-scale-'));
const fixtureJson = (name: string) => JSON.parse(readFileSync(join(KERAS, name), 'utf8'));

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe('a model trained in Keras comes back', () => {
  it('convzoo eval lenet-keras-trained.keras scores the MNIST test set as Keras did', async () => {
    const keras = fixtureJson('lenet-keras-trained.json');
    const r = await cli('eval', join(KERAS, 'lenet-keras-trained.keras'), '--backend', 'onnx-cpu', '--batch-size', '256');
    expectSuccess(r);
    expect(r.out).toMatch(/Evaluating .*lenet-keras-trained\.keras \(weights of .* \(Keras 3\.15\.1 archive\)\) on mnist/);
    const accuracy = Number(/Test Accuracy:\s+([\d.]+)/.exec(r.out)![1]);
    const loss = Number(/Test Score:\s+([\d.]+)/.exec(r.out)![1]);
    // The same images right (8535 of 10,000); Keras reports the accuracy as a float32.
    expect(Math.round(accuracy * keras.test_samples)).toBe(keras.test_correct);
    expect(Math.abs(accuracy - keras.test_accuracy)).toBeLessThan(1e-7);
    expect(Math.abs(loss - keras.test_loss)).toBeLessThan(1e-5);
  }, 60_000);

  it('every mapped Keras layer class predicts as Keras did, on onnx-cpu and in a bare ORT session of the export', async () => {
    const keras = fixtureJson('layers-keras.json');
    const archive = await readKerasArchive(new Uint8Array(readFileSync(join(KERAS, 'layers-keras.keras'))), 'layers-keras.keras');
    registerOnnxBackends();
    const model = await compile(archive.spec, { backend: 'onnx-cpu', weights: archive.weights });
    const input = { shape: keras.input_shape as number[], data: Float32Array.from(keras.input as number[]) };
    const got = (await model.predict(input)) as { data: Float32Array }[];
    model.dispose();
    expect(maxAbsDiff(got[0]!.data, keras.outputs[0])).toBeLessThan(1e-5);
    expect(maxAbsDiff(got[1]!.data, keras.outputs[1])).toBeLessThan(1e-5);

    const file = join(tmp(), 'layers.onnx');
    const r = await cli('export', join(KERAS, 'layers-keras.keras'), '--format', 'onnx', '-o', file);
    expect(r.code).toBe(0);
    const session = await ort.InferenceSession.create(file);
    const res = await session.run({ image: new ort.Tensor('float32', input.data, input.shape) });
    expect(maxAbsDiff(res.probs!.data as Float32Array, keras.outputs[0])).toBeLessThan(1e-5);
    expect(maxAbsDiff(res.side!.data as Float32Array, keras.outputs[1])).toBeLessThan(1e-5);
    await session.release();
  }, 60_000);
});

it('classify --weights-file refuses a model that does not fit the recipe', async () => {
  const coffee = fileURLToPath(new URL('../fixtures/photos/coffee.png', import.meta.url));
  const r = await cli('classify', coffee, '--weights-file', join(KERAS, 'lenet-keras-trained.keras'));
  expect(r.code).not.toBe(0);
  expect(r.err).toMatch(/its model takes \[28, 28, 1\], but resnet50 'keras-imagenet' images are prepared as \[224, 224, 3\]/);
});

describe('convzoo export --format keras', () => {
  it('writes the model and its weights as a .keras archive that reads back exactly', async () => {
    const file = join(tmp(), 'lenet.keras');
    const r = await cli('export', 'lenet', '--format', 'keras', '-o', file, '--seed', '4');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Wrote .*lenet\.keras \(1\.7\d MB, Keras 3 \.keras archive\): lenet with untrained weights/);
    const back = await readKerasArchive(new Uint8Array(readFileSync(file)), file);
    const spec = getModel('lenet');
    expect(back.spec.layers).toEqual(spec.layers);
    const weights = initialWeights(spec, { seed: 4 });
    for (const [k, t] of Object.entries(weights)) expect(back.weights[k]!.data, k).toEqual(t.data);
  });

  it('refuses a layer Keras has no class for, naming it, and writes nothing', async () => {
    const b = new SpecBuilder('lrn_net');
    const x = b.input([8, 8, 3]);
    const specFile = join(tmp(), 'lrn.json');
    writeFileSync(specFile, specToJSON(b.build(b.lrn(b.conv2d(x, { filters: 4, kernelSize: 3 }), { name: 'norm1' }))));
    const out = join(tmp(), 'lrn.keras');
    const r = await cli('export', specFile, '--format', 'keras', '-o', out);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/cannot export 'lrn_net' to Keras: layer 'norm1' \(lrn, local response normalisation\) has no Keras layer class/);
    expect(() => readFileSync(out)).toThrow();
  });

  it('rejects options of another format', async () => {
    const r = await cli('export', 'lenet', '--format', 'keras', '-o', join(tmp(), 'x.keras'), '--max-batch-size', '8');
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/--max-batch-size applies to --format triton, not keras/);
  });
});

describe('convzoo export --format triton', () => {
  // keepCase: field names as the .proto spells them (the text format's names), not protobufjs' camelCase.
  const proto = new protobuf.Root().loadSync(fileURLToPath(new URL('./triton/model_config.subset.proto', import.meta.url)), { keepCase: true });
  const ModelConfig = proto.lookupType('inference.ModelConfig');

  it('writes <name>/1/model.onnx, config.pbtxt (valid ModelConfig text format) and labels.txt', async () => {
    const repo = tmp();
    const labelsFile = join(tmp(), 'digits.txt');
    writeFileSync(labelsFile, `${Array.from({ length: 10 }, (_, i) => `digit ${i}`).join('\n')}\n`);
    const r = await cli(
      'export',
      'lenet',
      '--format',
      'triton',
      '-o',
      repo,
      '--name',
      'mnist_lenet',
      '--labels',
      labelsFile,
      '--instances',
      'gpu:1,cpu:2',
      '--max-batch-size',
      '64',
    );
    expectSuccess(r);
    const config = parseTextFormat(ModelConfig, readFileSync(join(repo, 'mnist_lenet', 'config.pbtxt'), 'utf8'));
    expect(config).toEqual({
      name: 'mnist_lenet',
      platform: 'onnxruntime_onnx',
      max_batch_size: 64,
      input: [{ name: 'input_layer', data_type: 'TYPE_FP32', dims: [28, 28, 1], format: 'FORMAT_NHWC' }],
      output: [{ name: 'dense_1', data_type: 'TYPE_FP32', dims: [10], label_filename: 'labels.txt' }],
      dynamic_batching: { max_queue_delay_microseconds: 100 },
      instance_group: [
        { count: 1, kind: 'KIND_GPU' },
        { count: 2, kind: 'KIND_CPU' },
      ],
    });
    expect(readFileSync(join(repo, 'mnist_lenet', 'labels.txt'), 'utf8').split('\n')).toHaveLength(11);
    // The model Triton's onnxruntime backend will load: names and dims as config.pbtxt says, batch dimension free.
    const session = await ort.InferenceSession.create(join(repo, 'mnist_lenet', '1', 'model.onnx'));
    expect(session.inputNames).toEqual(['input_layer']);
    expect(session.outputNames).toEqual(['dense_1']);
    const res = await session.run({ input_layer: new ort.Tensor('float32', new Float32Array(3 * 784).fill(0.5), [3, 28, 28, 1]) });
    expect(res.dense_1!.dims).toEqual([3, 10]);
    await session.release();
  });

  it('the text-format check fails on what Triton would reject', () => {
    const ok = 'name: "m"\nplatform: "onnxruntime_onnx"\n';
    expect(parseTextFormat(ModelConfig, ok)).toEqual({ name: 'm', platform: 'onnxruntime_onnx' });
    expect(() => parseTextFormat(ModelConfig, `${ok}max_batch: 4`)).toThrow(/line 3: ModelConfig has no field 'max_batch'/);
    expect(() => parseTextFormat(ModelConfig, `${ok}instance_group [ { kind: KIND_TPU } ]`)).toThrow(/'KIND_TPU' is not a value of enum Kind/);
    expect(() => parseTextFormat(ModelConfig, `${ok}name: "again"`)).toThrow(/non-repeated field 'name' given twice/);
    expect(() => parseTextFormat(ModelConfig, `${ok}max_batch_size: "8"`)).toThrow(/expected an integer/);
    expect(() => parseTextFormat(ModelConfig, `${ok}input [ { dims: [ 1, 2 } ]`)).toThrow(/expected ',' or '\]'/);
  });

  it('validates its options', async () => {
    const repo = tmp();
    expect((await cli('export', 'lenet', '--format', 'triton', '-o', repo, '--instances', 'tpu:1')).err).toMatch(
      /--instances: 'tpu:1' is not cpu\[:N\] or gpu\[:N\]/,
    );
    expect((await cli('export', 'lenet', '--format', 'triton', '-o', repo, '--name', 'a/b')).err).toMatch(/--name 'a\/b' must be letters/);
    const three = join(tmp(), 'three.txt');
    writeFileSync(three, 'a\nb\nc\n');
    expect((await cli('export', 'lenet', '--format', 'triton', '-o', repo, '--labels', three)).err).toMatch(
      /3 labels do not fit output 'dense_1' of shape \[10\]/,
    );
  });
});

const fetched = await isFetched(getPretrained('resnet50', 'keras-imagenet').source);
describe.runIf(fetched || process.env.CI)('pretrained weights out of convzoo (resnet50 keras-imagenet)', () => {
  it('export resnet50 --weights keras-imagenet --format triton: recipe and labels in the ONNX metadata, labels.txt', async () => {
    const repo = tmp();
    const r = await cli('export', 'resnet50', '--weights', 'keras-imagenet', '--format', 'triton', '-o', repo, '--instances', 'cpu:1');
    expectSuccess(r);
    const onnx = decodeModel(new Uint8Array(readFileSync(join(repo, 'resnet50', '1', 'model.onnx'))));
    const meta = Object.fromEntries((onnx.metadata_props ?? []).map((p) => [p.key, p.value]));
    expect(meta['convzoo.weights']).toBe('resnet50/keras-imagenet');
    expect(meta['convzoo.weights_tag']).toBe('resnet50.keras_imagenet');
    expect(JSON.parse(meta['convzoo.recipe']!)).toMatchObject({
      inputShape: [224, 224, 3],
      preprocessing: 'caffe',
      mean: [103.939, 116.779, 123.68],
      resizeShorter: 256,
    });
    expect(meta['convzoo.preprocessing']).toMatch(/convert RGB to BGR, subtract the BGR mean \[103\.939, 116\.779, 123\.68\]/);
    expect(JSON.parse(meta['convzoo.labels']!)).toHaveLength(1000);
    const labels = readFileSync(join(repo, 'resnet50', 'labels.txt'), 'utf8')
      .trimEnd()
      .split('\n');
    expect(labels).toHaveLength(1000);
    expect(readFileSync(join(repo, 'resnet50', 'config.pbtxt'), 'utf8')).toMatch(/dims: \[ 1000 \]\n {4}label_filename: "labels.txt"/);
    expect((await cli('export', 'resnet50', '--weights', 'keras-imagenet', '--classes', '10', '-o', join(repo, 'x.onnx'))).err).toMatch(
      /--classes cannot be combined with --weights keras-imagenet/,
    );
  }, 120_000);

  it('the weights go out as .keras and come back into classify --weights-file with the same top-1', async () => {
    const file = join(tmp(), 'resnet50.keras');
    expect((await cli('export', 'resnet50', '--weights', 'keras-imagenet', '--format', 'keras', '-o', file)).code).toBe(0);
    const coffee = fileURLToPath(new URL('../fixtures/photos/coffee.png', import.meta.url));
    const r = await cli('classify', coffee, '--weights-file', file, '--backend', 'onnx-cpu', '--top', '1');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/resnet50 'keras-imagenet', weights from .*resnet50\.keras/);
    expect(r.out).toMatch(/1\. espresso +99\.2[56]%/);
  }, 120_000);
});
