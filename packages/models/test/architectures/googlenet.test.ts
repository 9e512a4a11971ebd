import { describe, expect, it } from 'vitest';
import { ceilModeMaxPool, countParams, googlenet, inceptionModule, SpecBuilder } from '../../src/index.js';
import { layer, ofKind, outputShapes, rows, shapeOf } from './helpers.js';

const conv = (kIn: number, k: number, out: number) => k * k * kIn * out + out;

describe('inceptionModule', () => {
  it("is the tutorial's inception() with its bugs fixed: kernel sizes given, every conv with its ReLU", () => {
    const b = new SpecBuilder('module');
    const x = b.input([28, 28, 192]);
    const y = inceptionModule(b, x, { f1x1: 64, fReduce3x3: 96, f3x3: 128, fReduce5x5: 16, f5x5: 32, fPool: 32, name: 'inception3a' });
    const spec = b.build(y);
    expect(shapeOf(spec, y)).toEqual([28, 28, 64 + 128 + 32 + 32]);
    const convs = ofKind(spec, 'conv2d');
    expect(convs.map((c) => [c.name, c.kernelSize[0], c.activation])).toEqual([
      ['inception3a_branch1', 1, 'relu'],
      ['inception3a_branch2_0', 1, 'relu'],
      ['inception3a_branch2_1', 3, 'relu'],
      ['inception3a_branch3_0', 1, 'relu'],
      ['inception3a_branch3_1', 5, 'relu'],
      ['inception3a_branch4_1', 1, 'relu'],
    ]);
    expect(layer(spec, 'inception3a_branch4_0', 'maxPool2d')).toMatchObject({ poolSize: [3, 3], strides: [1, 1], padding: 'same' });
    const expected = conv(192, 1, 64) + conv(192, 1, 96) + conv(96, 3, 128) + conv(192, 1, 16) + conv(16, 5, 32) + conv(192, 1, 32);
    expect(countParams(spec).total).toBe(expected);
  });

  it('auto-names its layers as Keras when no name is given', () => {
    const b = new SpecBuilder('module');
    const y = inceptionModule(b, b.input([8, 8, 4]), { f1x1: 1, fReduce3x3: 1, f3x3: 1, fReduce5x5: 1, f5x5: 1, fPool: 1 });
    expect(b.build(y).layers.map((l) => l.name)).toEqual([
      'input_layer',
      'conv2d',
      'conv2d_1',
      'conv2d_2',
      'conv2d_3',
      'conv2d_4',
      'max_pooling2d',
      'conv2d_5',
      'concatenate',
    ]);
  });
});

describe('ceilModeMaxPool', () => {
  const pooled = (n: number, poolSize: number, strides: number) => {
    const b = new SpecBuilder('pool');
    const y = ceilModeMaxPool(b, b.input([n, n, 1]), { name: 'pool', poolSize, strides });
    return shapeOf(b.build(y), y)[0];
  };
  it("gives PyTorch's ceil_mode output sizes (checked with torch 1.13), rejecting what PyTorch rejects", () => {
    expect([pooled(112, 3, 2), pooled(7, 3, 2), pooled(5, 3, 2), pooled(2, 3, 2), pooled(14, 2, 2), pooled(7, 2, 2)]).toEqual([56, 3, 2, 1, 7, 4]);
    expect(() => pooled(1, 3, 2)).toThrow(/layer 'pool'.*kernel-too-large/);
  });
});

describe('googlenet flavour torchvision', () => {
  it('has 6,624,904 trainable parameters without aux heads (1000 classes)', () => {
    const spec = googlenet({ flavour: 'torchvision' });
    expect(countParams(spec).trainable).toBe(6_624_904);
    expect(outputShapes(spec)).toEqual([[1000]]);
    expect(ofKind(spec, 'conv2d').every((c) => !c.useBias)).toBe(true);
    expect(ofKind(spec, 'batchNorm').every((n) => n.epsilon === 1e-3)).toBe(true);
    expect(ofKind(spec, 'lrn')).toHaveLength(0);
    // torchvision's third branch is 3x3, not the paper's 5x5
    expect(layer(spec, 'inception4a_branch3_1_conv', 'conv2d').kernelSize).toEqual([3, 3]);
  });

  it('has the paper shapes at 224 (ceil-mode pools)', () => {
    const spec = googlenet({ flavour: 'torchvision' });
    const at = (n: string) => shapeOf(spec, n);
    expect([
      at('maxpool1'),
      at('maxpool2'),
      at('inception3b_concat'),
      at('maxpool3'),
      at('inception4e_concat'),
      at('maxpool4'),
      at('inception5b_concat'),
    ]).toEqual([
      [56, 56, 64],
      [28, 28, 192],
      [28, 28, 480],
      [14, 14, 480],
      [14, 14, 832],
      [7, 7, 832],
      [7, 7, 1024],
    ]);
  });

  it('aux: true adds two heads after 4a and 4d as extra outputs (13,004,888 trainable, as torchvision)', () => {
    const spec = googlenet({ flavour: 'torchvision', aux: true });
    expect(spec.outputs).toEqual(['fc', 'aux1_fc2', 'aux2_fc2']);
    expect(outputShapes(spec)).toEqual([[1000], [1000], [1000]]);
    expect(layer(spec, 'aux1_pool', 'avgPool2d').inputs).toEqual(['inception4a_concat']);
    expect(layer(spec, 'aux2_pool', 'avgPool2d').inputs).toEqual(['inception4d_concat']);
    expect(shapeOf(spec, 'aux1_flatten')).toEqual([2048]);
    expect(countParams(spec).trainable).toBe(13_004_888);
  });
});

describe('googlenet flavour tutorial', () => {
  it('resizes the 32x32x3 CIFAR input to 224 bilinear inside the graph and returns [out, aux1, aux2]', () => {
    const spec = googlenet();
    expect(layer(spec, 'resizing', 'resize')).toMatchObject({ size: [224, 224], method: 'bilinear', inputs: ['input_layer'] });
    expect(spec.outputs).toHaveLength(3);
    expect(outputShapes(spec)).toEqual([[10], [10], [10]]);
    expect(layer(spec, 'aux1_pool', 'avgPool2d')).toMatchObject({ poolSize: [5, 5], strides: [3, 3], inputs: ['inception4a_concat'] });
    expect(layer(spec, 'aux2_pool', 'avgPool2d').inputs).toEqual(['inception4d_concat']);
    expect(layer(spec, 'aux1_dropout', 'dropout').rate).toBe(0.7);
    expect(ofKind(spec, 'batchNorm')).toHaveLength(0);
    // the tutorial's stem: 'valid' pools, no 3x3x192 conv; its 3b table gives 128 + 192 + 32 + 32 channels
    expect(shapeOf(spec, 'max_pooling2d_1')).toEqual([27, 27, 64]);
    expect(shapeOf(spec, 'inception3b_concat')).toEqual([27, 27, 384]);
    expect(shapeOf(spec, 'inception5b_concat')).toEqual([6, 6, 1024]);
  });

  it('has 8,266,798 parameters, as Keras counts the tutorial code with its bugs fixed (reference/keras_tutorial.py)', () => {
    expect(countParams(googlenet())).toEqual({ total: 8_266_798, trainable: 8_266_798, nonTrainable: 0 });
  });

  it('each aux head costs what the tutorial code says: pool 5/3, 1x1x128 conv, dense 1024, dense classes', () => {
    const withAux = countParams(googlenet()).total;
    const without = countParams(googlenet({ aux: false })).total;
    const head = (cin: number) => conv(cin, 1, 128) + (3 * 3 * 128 * 1024 + 1024) + (1024 * 10 + 10);
    expect(withAux - without).toBe(head(512) + head(528));
    expect(googlenet({ aux: false }).outputs).toHaveLength(1);
  });

  it('does not resize an input that is already 224, nor with resizeTo: false', () => {
    expect(ofKind(googlenet({ inputShape: [224, 224, 3] }), 'resize')).toHaveLength(0);
    const spec = googlenet({ inputShape: [96, 96, 3], resizeTo: false });
    expect(ofKind(spec, 'resize')).toHaveLength(0);
    expect(rows(spec)[1]).toMatchObject({ kind: 'conv2d', shape: [48, 48, 64] });
  });

  it('rejects resizeTo on the torchvision flavour', () => {
    expect(() => googlenet({ flavour: 'torchvision', resizeTo: 224 })).toThrow(/resizeTo' applies to the tutorial flavour only/);
  });
});
