import { describe, expect, it } from 'vitest';
import { countParams, getModel, listModels, ModelOptionError, SpecError, type Shape3 } from '../../src/index.js';
import { outputShapes } from './helpers.js';

const REQUIRED = [
  'lenet',
  'alexnet',
  'vgg11',
  'vgg13',
  'vgg16',
  'vgg19',
  'vgg11_bn',
  'vgg13_bn',
  'vgg16_bn',
  'vgg19_bn',
  'googlenet',
  'inception_v3',
  'resnet18',
  'resnet34',
  'resnet50',
  'resnet101',
  'resnet152',
  'resnet_tutorial',
  'plain20',
  'plain56',
  'resnet20',
  'resnet56',
];

describe('listModels', () => {
  it('lists every architecture once, with a description, flavours and input shapes', () => {
    const models = listModels();
    expect(models.map((m) => m.name).sort()).toEqual([...REQUIRED].sort());
    for (const m of models) {
      expect(m.description.length, m.name).toBeGreaterThan(10);
      expect(m.flavours.length, m.name).toBeGreaterThan(0);
      expect(Object.keys(m.inputShapes).sort(), m.name).toEqual([...m.flavours].sort());
      expect(m.inputShapes[m.flavours[0]!], m.name).toEqual({ defaultInputShape: m.defaultInputShape, minInputShape: m.minInputShape });
      expect(m.options, m.name).toEqual(expect.arrayContaining(['inputShape', 'classes', 'classifierActivation', 'includeTop', 'flavour']));
    }
    expect(models.find((m) => m.name === 'lenet')).toMatchObject({ defaultInputShape: [28, 28, 1], flavours: ['tutorial', 'lenet5'] });
    expect(models.find((m) => m.name === 'resnet50')?.flavours).toEqual(['keras', 'torchvision']);
    expect(models.find((m) => m.name === 'resnet18')?.flavours).toEqual(['torchvision', 'keras']);
  });

  it('returns copies: changing a result does not change the registry', () => {
    listModels()[0]!.defaultInputShape[0] = 1;
    expect(listModels()[0]!.defaultInputShape[0]).not.toBe(1);
  });
});

describe('getModel', () => {
  const flavourCases = listModels().flatMap((m) => m.flavours.map((flavour) => ({ name: m.name, flavour, ...m.inputShapes[flavour]! })));

  it.each(flavourCases)('$name ($flavour) builds at its default input and output the default classes', ({ name, flavour, defaultInputShape }) => {
    const spec = getModel(name, { flavour });
    expect(spec.layers[0]).toMatchObject({ kind: 'input', shape: defaultInputShape });
    expect(spec.meta?.flavour).toBe(flavour);
  });

  it.each(flavourCases)('$name ($flavour) builds at minInputShape $minInputShape and not one pixel below', ({ name, flavour, minInputShape }) => {
    const spec = getModel(name, { flavour, inputShape: minInputShape, classes: 3 });
    for (const shape of outputShapes(spec)) expect(shape).toEqual([3]);
    const [h, w, c] = minInputShape;
    if (h > 1) expect(() => getModel(name, { flavour, inputShape: [h - 1, w - 1, c] })).toThrow(SpecError);
  });

  it.each(flavourCases.filter((f) => f.minInputShape[0] <= 64))(
    '$name ($flavour) honours a small input (64x64) and classes',
    ({ name, flavour, defaultInputShape }) => {
      const inputShape: Shape3 = [64, 64, defaultInputShape[2]];
      const spec = getModel(name, { flavour, inputShape, classes: 4 });
      expect(spec.layers[0]).toMatchObject({ kind: 'input', shape: inputShape });
      for (const shape of outputShapes(spec)) expect(shape).toEqual([4]);
    },
  );

  it.each(flavourCases)('$name ($flavour) with includeTop: false is the feature extractor alone', ({ name, flavour }) => {
    const full = getModel(name, { flavour });
    const features = getModel(name, { flavour, includeTop: false });
    expect(features.outputs).toHaveLength(1);
    expect(features.layers.some((l) => l.kind === 'dense')).toBe(false);
    expect(outputShapes(features)[0]).toHaveLength(3);
    // the features are the full model's layers, the classifier cut off
    const trunk = full.layers.map((l) => l.name).filter((n) => !n.startsWith('aux'));
    expect(features.layers.map((l) => l.name)).toEqual(trunk.slice(0, features.layers.length));
    expect(() => getModel(name, { flavour, includeTop: false, classes: 10 })).toThrow(
      new RegExp(`${name}: option 'classes' applies only with includeTop: true`),
    );
  });

  it('passes family options through: torchvision ResNet50 and Keras BN epsilon', () => {
    expect(countParams(getModel('resnet50', { flavour: 'torchvision' })).trainable).toBe(25_557_032);
    expect(countParams(getModel('vgg16_bn')).trainable).toBe(138_365_992);
    expect(getModel('googlenet', { aux: false }).outputs).toHaveLength(1);
    expect(getModel('resnet50', { includeTop: false, pooling: 'avg', bnEpsilon: 1e-3 }).outputs).toEqual(['avg_pool']);
    expect(getModel('resnet56').name).toBe('resnet56');
  });

  it('an unknown name lists the close matches', () => {
    expect(() => getModel('resnet5')).toThrow(/unknown model 'resnet5'; did you mean 'resnet50', .*'resnet56'/);
    expect(() => getModel('lennet')).toThrow(/did you mean 'lenet'/);
    expect(() => getModel('VGG16')).toThrow(/did you mean 'vgg16'/);
    expect(() => getModel('inception-v3')).toThrow(/did you mean 'inception_v3'/);
    expect(() => getModel('transformer')).toThrow(/unknown model 'transformer'; known models: lenet, alexnet, vgg11/);
  });

  it('an option the model does not take is an error naming the option and the model', () => {
    expect(() => getModel('lenet', { pooling: 'avg' })).toThrow(
      /lenet: option 'pooling' is not accepted; lenet accepts inputShape, classes, classifierActivation, includeTop, flavour/,
    );
    expect(() => getModel('vgg16', { aux: true })).toThrow(/vgg16: option 'aux' is not accepted; vgg16 accepts/);
    expect(() => getModel('vgg16', { bnEpsilon: 1e-3 })).toThrow(ModelOptionError);
  });

  it('a bad value is a ModelOptionError naming the model, the option and the value', () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['resnet50', { flavour: 'caffe' }, /resnet50: option 'flavour' must be one of 'keras', 'torchvision', got "caffe"/],
      ['lenet', { classes: 2.5 }, /lenet: option 'classes' must be a positive integer, got 2.5/],
      ['lenet', { inputShape: [28, 28] }, /lenet: option 'inputShape' must be \[height, width, channels\]/],
      ['googlenet', { aux: 'yes' }, /googlenet: option 'aux' must be true or false, got "yes"/],
      ['resnet18', { bnEpsilon: -1 }, /resnet18: option 'bnEpsilon' must be a positive number, got -1/],
      ['googlenet', { resizeTo: 0 }, /googlenet: option 'resizeTo' must be a positive integer or false, got 0/],
    ];
    for (const [name, options, message] of cases) {
      expect(() => getModel(name, options)).toThrow(ModelOptionError);
      expect(() => getModel(name, options)).toThrow(message);
    }
  });

  it('an input too small for the architecture names the layer that breaks', () => {
    expect(() => getModel('vgg16', { inputShape: [16, 16, 3] })).toThrow(/model 'vgg16', layer 'block5_pool': \[kernel-too-large\]/);
  });
});
