import { describe, expect, it } from 'vitest';
import { countParams, paramInfos, resnet, resnet101, resnet152, resnet18, resnet34, resnet50 } from '../../src/index.js';
import { layer, ofKind, outputShapes, shapeOf } from './helpers.js';

describe('resnet flavour torchvision', () => {
  it("has torchvision's parameter counts: 18, 34, 50, 101, 152", () => {
    const tv = { flavour: 'torchvision' } as const;
    expect(countParams(resnet18(tv)).trainable).toBe(11_689_512);
    expect(countParams(resnet34(tv)).trainable).toBe(21_797_672);
    expect(countParams(resnet50(tv))).toMatchObject({ trainable: 25_557_032, nonTrainable: 53_120 });
    expect(countParams(resnet101(tv)).trainable).toBe(44_549_160);
    expect(countParams(resnet152(tv)).trainable).toBe(60_192_808);
  });

  it('is v1.5: the bottleneck strides on its 3x3; no conv bias; BN eps 1e-5; PyTorch padding', () => {
    const spec = resnet50({ flavour: 'torchvision' });
    expect(layer(spec, 'layer2_0_conv1', 'conv2d').strides).toEqual([1, 1]);
    expect(layer(spec, 'layer2_0_conv2', 'conv2d')).toMatchObject({ strides: [2, 2], padding: { top: 1, bottom: 1, left: 1, right: 1 } });
    expect(layer(spec, 'layer2_0_downsample_0', 'conv2d')).toMatchObject({ kernelSize: [1, 1], strides: [2, 2] });
    expect(ofKind(spec, 'conv2d').every((c) => !c.useBias)).toBe(true);
    expect(ofKind(spec, 'batchNorm').every((n) => n.epsilon === 1e-5 && n.momentum === 0.9)).toBe(true);
    expect(layer(spec, 'maxpool', 'maxPool2d').padding).toEqual({ top: 1, bottom: 1, left: 1, right: 1 });
    expect([1, 2, 3, 4].map((i) => shapeOf(spec, `layer${i}_${[2, 3, 5, 2][i - 1]}_relu`))).toEqual([
      [56, 56, 256],
      [28, 28, 512],
      [14, 14, 1024],
      [7, 7, 2048],
    ]);
    expect(spec.outputs).toEqual(['fc']);
  });

  it('basic blocks project only where the shape changes', () => {
    const spec = resnet18();
    expect(spec.meta?.flavour).toBe('torchvision');
    expect(
      ofKind(spec, 'conv2d')
        .filter((c) => c.name.includes('downsample'))
        .map((c) => c.name),
    ).toEqual(['layer2_0_downsample_0', 'layer3_0_downsample_0', 'layer4_0_downsample_0']);
    expect(outputShapes(spec)).toEqual([[1000]]);
  });
});

describe('resnet50 flavour keras (keras.applications)', () => {
  it('has 25,636,712 parameters of which 53,120 non-trainable, in 320 weight tensors as Keras', () => {
    const spec = resnet50();
    expect(spec.meta?.flavour).toBe('keras');
    expect(countParams(spec)).toEqual({ total: 25_636_712, trainable: 25_583_592, nonTrainable: 53_120 });
    expect(paramInfos(spec)).toHaveLength(320);
  });

  it("names every layer as keras.applications (Keras >= 2.3), in the order of Keras' model.layers", () => {
    const names = resnet50().layers.map((l) => l.name);
    // Keras sorts layers by depth: the projection shortcut's conv/BN sit beside the main path's last conv/BN.
    expect(names.slice(1, 26)).toEqual([
      'conv1_pad',
      'conv1_conv',
      'conv1_bn',
      'conv1_relu',
      'pool1_pad',
      'pool1_pool',
      'conv2_block1_1_conv',
      'conv2_block1_1_bn',
      'conv2_block1_1_relu',
      'conv2_block1_2_conv',
      'conv2_block1_2_bn',
      'conv2_block1_2_relu',
      'conv2_block1_0_conv',
      'conv2_block1_3_conv',
      'conv2_block1_0_bn',
      'conv2_block1_3_bn',
      'conv2_block1_add',
      'conv2_block1_out',
      'conv2_block2_1_conv',
      'conv2_block2_1_bn',
      'conv2_block2_1_relu',
      'conv2_block2_2_conv',
      'conv2_block2_2_bn',
      'conv2_block2_2_relu',
      'conv2_block2_3_conv',
    ]);
    expect(names.slice(-4)).toEqual(['conv5_block3_add', 'conv5_block3_out', 'avg_pool', 'predictions']);
    expect(names.filter((n) => n.endsWith('_0_conv'))).toEqual(['conv2_block1_0_conv', 'conv3_block1_0_conv', 'conv4_block1_0_conv', 'conv5_block1_0_conv']);
    expect(names.filter((n) => /^conv4_block\d+_out$/.test(n))).toHaveLength(6);
  });

  it('is v1: the stride sits on the first 1x1; ZeroPadding + valid 7x7/2 conv and 3/2 max pool; conv bias', () => {
    const spec = resnet50();
    expect(layer(spec, 'conv3_block1_1_conv', 'conv2d')).toMatchObject({ kernelSize: [1, 1], strides: [2, 2] });
    expect(layer(spec, 'conv3_block1_2_conv', 'conv2d')).toMatchObject({ kernelSize: [3, 3], strides: [1, 1], padding: 'same' });
    expect(layer(spec, 'conv1_conv', 'conv2d')).toMatchObject({ kernelSize: [7, 7], strides: [2, 2], padding: 'valid', useBias: true });
    expect(layer(spec, 'conv1_pad', 'zeroPad2d').padding).toEqual({ top: 3, bottom: 3, left: 3, right: 3 });
    expect(layer(spec, 'conv2_block1_add', 'add').inputs).toEqual(['conv2_block1_0_bn', 'conv2_block1_3_bn']);
    expect(shapeOf(spec, 'pool1_pool')).toEqual([56, 56, 64]);
    expect(['conv2_block3_out', 'conv3_block4_out', 'conv4_block6_out', 'conv5_block3_out'].map((n) => shapeOf(spec, n))).toEqual([
      [56, 56, 256],
      [28, 28, 512],
      [14, 14, 1024],
      [7, 7, 2048],
    ]);
    // keras and torchvision differ in parameters by exactly the conv biases
    const biases = ofKind(spec, 'conv2d').reduce((a, c) => a + c.filters, 0);
    expect(countParams(spec).total - countParams(resnet50({ flavour: 'torchvision' })).total).toBe(biases);
  });

  it('BN epsilon 1.001e-5 by default; bnEpsilon sets every BatchNorm (Keras 2.2.4 weights: 1e-3)', () => {
    expect(new Set(ofKind(resnet50(), 'batchNorm').map((n) => n.epsilon))).toEqual(new Set([1.001e-5]));
    expect(new Set(ofKind(resnet50({ bnEpsilon: 1e-3 }), 'batchNorm').map((n) => n.epsilon))).toEqual(new Set([1e-3]));
    expect(layer(resnet50(), 'conv1_bn', 'batchNorm').momentum).toBe(0.99);
  });

  it('includeTop: false ends at the last block; pooling: avg adds avg_pool', () => {
    const notop = resnet50({ includeTop: false });
    expect(notop.outputs).toEqual(['conv5_block3_out']);
    expect(countParams(notop).total).toBe(23_587_712);
    const pooled = resnet50({ includeTop: false, pooling: 'avg', inputShape: [64, 64, 3] });
    expect(pooled.outputs).toEqual(['avg_pool']);
    expect(outputShapes(pooled)).toEqual([[2048]]);
  });

  it('keras flavour of the basic-block depths follows the same naming', () => {
    const spec = resnet('resnet18', { flavour: 'keras' });
    const names = spec.layers.map((l) => l.name);
    expect(names).toContain('conv2_block2_2_bn');
    expect(names.filter((n) => n.endsWith('_0_conv'))).toEqual(['conv3_block1_0_conv', 'conv4_block1_0_conv', 'conv5_block1_0_conv']);
    expect(outputShapes(spec)).toEqual([[1000]]);
  });

  it('builds at small inputs (32x32, 64x64) for conformance runs', () => {
    for (const flavour of ['keras', 'torchvision'] as const) {
      expect(shapeOf(resnet50({ flavour, inputShape: [32, 32, 3], classes: 10 }), flavour === 'keras' ? 'conv5_block3_out' : 'layer4_2_relu')).toEqual([
        1, 1, 2048,
      ]);
      expect(shapeOf(resnet18({ flavour, inputShape: [64, 64, 3], classes: 10 }), flavour === 'keras' ? 'conv5_block2_out' : 'layer4_1_relu')).toEqual([
        2, 2, 512,
      ]);
    }
  });
});
