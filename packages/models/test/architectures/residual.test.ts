import { describe, expect, it } from 'vitest';
import { cifarResnet, countParams, plainNet, residualUnit, tutorialResnet, SpecBuilder } from '../../src/index.js';
import { layer, ofKind, outputShapes, shapeOf } from './helpers.js';

describe("residualUnit (the tutorial's pre-activation unit)", () => {
  it('is BN-ReLU-Conv-BN-ReLU-Conv plus the input itself when filterIn === filterOut', () => {
    const b = new SpecBuilder('unit');
    const x = b.input([14, 14, 16]);
    const y = residualUnit(b, x, { filterIn: 16, filterOut: 16, kernelSize: 3, name: 'u' });
    const spec = b.build(y);
    expect(spec.layers.slice(1).map((l) => `${l.name}:${l.kind}`)).toEqual([
      'u_bn1:batchNorm',
      'u_relu1:activation',
      'u_conv1:conv2d',
      'u_bn2:batchNorm',
      'u_relu2:activation',
      'u_conv2:conv2d',
      'u_add:add',
    ]);
    expect(layer(spec, 'u_add', 'add').inputs).toEqual([x, 'u_conv2']);
    expect(shapeOf(spec, y)).toEqual([14, 14, 16]);
  });

  it('projects the input with a 1x1 conv when the channels change', () => {
    const b = new SpecBuilder('unit');
    const x = b.input([14, 14, 8]);
    const spec = b.build(residualUnit(b, x, { filterIn: 8, filterOut: 16, kernelSize: 3, name: 'u' }));
    expect(layer(spec, 'u_identity', 'conv2d')).toMatchObject({ kernelSize: [1, 1], filters: 16, inputs: [x] });
    expect(layer(spec, 'u_add', 'add').inputs).toEqual(['u_identity', 'u_conv2']);
  });

  it('a wrong filterIn with an identity shortcut fails validation at the add', () => {
    const b = new SpecBuilder('unit');
    const x = b.input([14, 14, 8]);
    expect(() => b.build(residualUnit(b, x, { filterIn: 16, filterOut: 16, kernelSize: 3, name: 'u' }))).toThrow(/layer 'u_add'.*add-mismatch/);
  });
});

describe("tutorialResnet (the tutorial's MNIST ResNet)", () => {
  it("has 576,282 trainable parameters and the shapes of the tutorial's comments", () => {
    const spec = tutorialResnet();
    expect(countParams(spec).trainable).toBe(576_282);
    expect(shapeOf(spec, 'conv1')).toEqual([28, 28, 8]);
    expect(shapeOf(spec, 'res1_unit2_add')).toEqual([28, 28, 16]);
    expect(shapeOf(spec, 'pool1')).toEqual([14, 14, 16]);
    expect(shapeOf(spec, 'res2_unit2_add')).toEqual([14, 14, 32]);
    expect(shapeOf(spec, 'pool2')).toEqual([7, 7, 32]);
    expect(shapeOf(spec, 'res3_unit2_add')).toEqual([7, 7, 64]);
    expect(shapeOf(spec, 'flatten')).toEqual([3136]);
    expect(outputShapes(spec)).toEqual([[10]]);
    // one projection per ResnetLayer (its first unit changes the channels), six units in all
    expect(
      ofKind(spec, 'conv2d')
        .filter((c) => c.name.endsWith('_identity'))
        .map((c) => c.name),
    ).toEqual(['res1_unit1_identity', 'res2_unit1_identity', 'res3_unit1_identity']);
    expect(ofKind(spec, 'add')).toHaveLength(6);
  });
});

describe('CIFAR plainNet / cifarResnet (depth 6n + 2)', () => {
  // the weighted layers on the main path: the stem conv, 2 convs per block, the dense classifier
  const depthOf = (spec: ReturnType<typeof plainNet>) => ofKind(spec, 'conv2d').filter((c) => !/_0_conv$/.test(c.name)).length + ofKind(spec, 'dense').length;

  for (const depth of [20, 56]) {
    it(`depth ${depth}: ${depth} weighted layers; stages 32x32x16, 16x16x32, 8x8x64`, () => {
      const plain = plainNet({ depth });
      const res = cifarResnet({ depth });
      expect([depthOf(plain), depthOf(res)]).toEqual([depth, depth]);
      expect(plain.name).toBe(`plain${depth}`);
      expect(res.name).toBe(`resnet${depth}`);
      const n = (depth - 2) / 6;
      expect([1, 2, 3].map((s) => shapeOf(res, `stage${s}_block${n}_out`))).toEqual([
        [32, 32, 16],
        [16, 16, 32],
        [8, 8, 64],
      ]);
      expect(ofKind(plain, 'add')).toHaveLength(0);
      expect(ofKind(res, 'add')).toHaveLength(3 * n);
      expect(outputShapes(res)).toEqual([[10]]);
    });
  }

  it('the ResNet differs from the plain net only by its two 1x1 projection shortcuts (conv + BN)', () => {
    const projection = (cin: number, cout: number) => cin * cout + 4 * cout;
    expect(countParams(cifarResnet({ depth: 20 })).total - countParams(plainNet({ depth: 20 })).total).toBe(projection(16, 32) + projection(32, 64));
    // ~0.27M parameters as the paper's ResNet-20, ~0.85M for ResNet-56
    expect(countParams(cifarResnet({ depth: 20 })).total).toBeGreaterThan(0.26e6);
    expect(countParams(cifarResnet({ depth: 20 })).total).toBeLessThan(0.28e6);
    expect(countParams(cifarResnet({ depth: 56 })).total).toBeGreaterThan(0.84e6);
    expect(countParams(cifarResnet({ depth: 56 })).total).toBeLessThan(0.87e6);
  });

  it('rejects a depth that is not 6n + 2, naming the option', () => {
    expect(() => cifarResnet({ depth: 21 })).toThrow(/cifarResnet: option 'depth' must be 6n \+ 2.*got 21/);
    expect(() => plainNet({ depth: 2 })).toThrow(/plainNet: option 'depth'/);
  });
});
