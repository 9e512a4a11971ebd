import { describe, expect, it } from 'vitest';
import { countParams, inceptionV3 } from '../../src/index.js';
import { layer, ofKind, outputShapes, shapeOf } from './helpers.js';

describe('inceptionV3 (torchvision flavour)', () => {
  it('has 23,834,568 trainable parameters without aux at 299x299x3', () => {
    const spec = inceptionV3();
    expect(countParams(spec).trainable).toBe(23_834_568);
    expect(outputShapes(spec)).toEqual([[1000]]);
    expect(ofKind(spec, 'conv2d').every((c) => !c.useBias)).toBe(true);
    expect(ofKind(spec, 'batchNorm').every((n) => n.epsilon === 1e-3)).toBe(true);
  });

  it('has the paper grid sizes 35, 17, 8 and 2048 channels at the end', () => {
    const spec = inceptionV3();
    expect(shapeOf(spec, 'maxpool2')).toEqual([35, 35, 192]);
    expect(shapeOf(spec, 'Mixed_5d_concat')).toEqual([35, 35, 288]);
    expect(shapeOf(spec, 'Mixed_6e_concat')).toEqual([17, 17, 768]);
    expect(shapeOf(spec, 'Mixed_7c_concat')).toEqual([8, 8, 2048]);
  });

  it('uses the factorised convs: 5x5 as two 3x3, 7x7 as 1x7 + 7x1, 3x3 as parallel 1x3 | 3x1', () => {
    const spec = inceptionV3();
    const k = (n: string) => layer(spec, `${n}_conv`, 'conv2d').kernelSize;
    expect([k('Mixed_5b_branch3x3dbl_2'), k('Mixed_5b_branch3x3dbl_3')]).toEqual([
      [3, 3],
      [3, 3],
    ]);
    expect([k('Mixed_6b_branch7x7_2'), k('Mixed_6b_branch7x7_3')]).toEqual([
      [1, 7],
      [7, 1],
    ]);
    expect([k('Mixed_7b_branch3x3_2a'), k('Mixed_7b_branch3x3_2b')]).toEqual([
      [1, 3],
      [3, 1],
    ]);
    expect(layer(spec, 'Mixed_7b_branch3x3_concat', 'concat').inputs).toEqual(['Mixed_7b_branch3x3_2a_relu', 'Mixed_7b_branch3x3_2b_relu']);
    // 1x7 then 7x1 keeps the 7x7 receptive field with 2 x 7 instead of 49 weights per channel pair
    expect(layer(spec, 'Mixed_6b_branch7x7_2_conv', 'conv2d').padding).toEqual({ top: 0, bottom: 0, left: 3, right: 3 });
  });

  it("pools its pool branches as PyTorch (zero padding counted): zeroPad2d + 'valid' average pool", () => {
    const spec = inceptionV3();
    expect(layer(spec, 'Mixed_5b_branch_pool_pad', 'zeroPad2d').padding).toEqual({ top: 1, bottom: 1, left: 1, right: 1 });
    expect(layer(spec, 'Mixed_5b_branch_pool_avgpool', 'avgPool2d')).toMatchObject({ poolSize: [3, 3], strides: [1, 1], padding: 'valid' });
  });

  it('aux: true adds the InceptionAux head after Mixed_6e (27,161,264 trainable, as torchvision)', () => {
    const spec = inceptionV3({ aux: true, classes: 10 });
    expect(spec.outputs).toEqual(['fc', 'AuxLogits_fc']);
    expect(outputShapes(spec)).toEqual([[10], [10]]);
    expect(layer(spec, 'AuxLogits_pool', 'avgPool2d').inputs).toEqual(['Mixed_6e_concat']);
    expect(countParams(inceptionV3({ aux: true })).trainable).toBe(27_161_264);
  });

  it("builds down to 75x75 (torchvision's own minimum) and not below", () => {
    expect(outputShapes(inceptionV3({ inputShape: [75, 75, 3], classes: 10 }))).toEqual([[10]]);
    expect(() => inceptionV3({ inputShape: [74, 74, 3] })).toThrow(/kernel-too-large/);
  });
});
