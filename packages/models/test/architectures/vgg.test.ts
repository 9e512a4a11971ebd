import { describe, expect, it } from 'vitest';
import { countParams, vgg, vgg11, vgg11Bn, vgg13, vgg13Bn, vgg16, vgg16Bn, vgg19, vgg19Bn, VGG_CONFIGS } from '../../src/index.js';
import { layer, ofKind, outputShapes, shapeOf } from './helpers.js';

describe('vgg', () => {
  it('VGG16 (1000 classes) has 138,357,544 parameters and keras.applications names', () => {
    const spec = vgg16();
    expect(countParams(spec).total).toBe(138_357_544);
    const blocks = [2, 2, 3, 3, 3].flatMap((n, i) => [...Array.from({ length: n }, (_, j) => `block${i + 1}_conv${j + 1}`), `block${i + 1}_pool`]);
    expect(spec.layers.slice(1).map((l) => l.name)).toEqual([...blocks, 'flatten', 'fc1', 'fc2', 'predictions']);
    expect(shapeOf(spec, 'block5_pool')).toEqual([7, 7, 512]);
    expect(shapeOf(spec, 'flatten')).toEqual([25_088]);
    expect(layer(spec, 'predictions', 'dense')).toMatchObject({ units: 1000, activation: 'softmax' });
  });

  it('VGG19 has 143,667,240 parameters; the tutorial VGG16 with 10 classes 134,301,514', () => {
    expect(countParams(vgg19()).total).toBe(143_667_240);
    expect(countParams(vgg16({ classes: 10 })).total).toBe(134_301_514);
  });

  it('VGG11 and VGG13 match torchvision (132,863,336 and 133,047,848)', () => {
    expect(countParams(vgg11()).total).toBe(132_863_336);
    expect(countParams(vgg13()).total).toBe(133_047_848);
  });

  it('the cfgs count the paper convs: 8, 10, 13, 16 (+3 dense = 11, 13, 16, 19 weight layers)', () => {
    const convs = Object.values(VGG_CONFIGS).map((cfg) => cfg.filter((v) => v !== 'M').length);
    expect(convs).toEqual([8, 10, 13, 16]);
    expect(ofKind(vgg19(), 'conv2d')).toHaveLength(16);
  });

  it('BatchNorm variants: torchvision vgg*_bn trainable counts, BN statistics non-trainable', () => {
    const expected = { vgg11: 132_868_840, vgg13: 133_053_736, vgg16: 138_365_992, vgg19: 143_678_248 };
    const builders = { vgg11: vgg11Bn, vgg13: vgg13Bn, vgg16: vgg16Bn, vgg19: vgg19Bn };
    for (const [name, trainable] of Object.entries(expected)) {
      const spec = builders[name as keyof typeof builders]();
      const bnChannels = ofKind(spec, 'conv2d').reduce((a, c) => a + c.filters, 0);
      expect({ name, ...countParams(spec) }).toEqual({ name, trainable, nonTrainable: 2 * bnChannels, total: trainable + 2 * bnChannels });
    }
    const spec = vgg('vgg16', { batchNorm: true });
    expect(spec.name).toBe('vgg16_bn');
    expect(spec.layers.slice(1, 4).map((l) => l.name)).toEqual(['block1_conv1', 'block1_bn1', 'block1_relu1']);
    expect(layer(spec, 'block1_conv1', 'conv2d')).toMatchObject({ activation: 'linear', useBias: true });
    expect(layer(spec, 'block1_bn1', 'batchNorm')).toMatchObject({ epsilon: 1e-5, momentum: 0.9 });
    expect(layer(vgg16Bn({ bnEpsilon: 1e-3 }), 'block5_bn3', 'batchNorm').epsilon).toBe(1e-3);
  });

  it('includeTop: false ends at block5_pool, or at a global average pool with pooling: avg', () => {
    const features = vgg16({ includeTop: false });
    expect(features.outputs).toEqual(['block5_pool']);
    expect(outputShapes(features)).toEqual([[7, 7, 512]]);
    expect(countParams(features).total).toBe(14_714_688);
    expect(outputShapes(vgg16({ includeTop: false, pooling: 'avg', inputShape: [64, 64, 3] }))).toEqual([[512]]);
  });

  it('builds at 32x32 (the smallest: five 2x2 pools) and rejects 31x31 at block5_pool', () => {
    const spec = vgg16({ inputShape: [32, 32, 3], classes: 10 });
    expect(shapeOf(spec, 'flatten')).toEqual([512]);
    expect(() => vgg16({ inputShape: [31, 31, 3] })).toThrow(/layer 'block5_pool'.*kernel-too-large/);
  });

  it('rejects options that do not fit together, naming them', () => {
    expect(() => vgg16({ pooling: 'avg' })).toThrow(/vgg16: option 'pooling' applies only with includeTop: false/);
    expect(() => vgg16({ bnEpsilon: 1e-3 })).toThrow(/vgg16: option 'bnEpsilon' needs batchNorm: true/);
    expect(() => vgg16({ classes: 0 })).toThrow(/vgg16: option 'classes' must be a positive integer, got 0/);
  });
});
