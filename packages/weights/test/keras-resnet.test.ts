import { SpecBuilder } from '@convzoo/models';
import { describe, expect, it } from 'vitest';
import { assertWeightsMatchSpec, kerasBatchNormEpsilon, kerasLegacyResNetLayerName, renameKerasLegacyResNet } from '../src/index.js';

describe('Keras 2.2.4 -> keras.applications ResNet names', () => {
  it.each([
    ['conv1', 'conv1_conv'],
    ['bn_conv1', 'conv1_bn'],
    ['fc1000', 'predictions'],
    ['res2a_branch2a', 'conv2_block1_1_conv'],
    ['bn2a_branch2b', 'conv2_block1_2_bn'],
    ['res2a_branch1', 'conv2_block1_0_conv'],
    ['bn3a_branch1', 'conv3_block1_0_bn'],
    ['res4f_branch2c', 'conv4_block6_3_conv'],
    ['bn5c_branch2c', 'conv5_block3_3_bn'],
  ])('%s -> %s', (legacy, modern) => {
    expect(kerasLegacyResNetLayerName(legacy)).toBe(modern);
  });

  it('returns null for names that are not ResNet layers', () => {
    expect(kerasLegacyResNetLayerName('res2a_branch3')).toBeNull();
    expect(kerasLegacyResNetLayerName('dense_1')).toBeNull();
  });

  it('renames parameters and fails on the first unknown one', () => {
    const t = { shape: [1], data: new Float32Array([1]) };
    const m = new Map([
      ['bn_conv1/moving_variance', t],
      ['res3b_branch2a/kernel', t],
    ]);
    expect(Object.keys(renameKerasLegacyResNet(m, 'model.json'))).toEqual(['conv1_bn/moving_variance', 'conv3_block2_1_conv/kernel']);
    m.set('mystery/kernel', t);
    expect(() => renameKerasLegacyResNet(m, 'model.json')).toThrow(/model\.json: weight 'mystery\/kernel' is not a Keras 2\.2\.4 ResNet weight/);
  });

  it('reads one BatchNorm epsilon from the topology and rejects disagreeing ones', () => {
    const topo = (eps: number[]) => ({
      model_config: { config: { layers: eps.map((e, i) => ({ class_name: 'BatchNormalization', name: `bn${i}`, config: { epsilon: e } })) } },
    });
    expect(kerasBatchNormEpsilon(topo([0.001, 0.001]), 'm.json')).toBe(0.001);
    expect(() => kerasBatchNormEpsilon(topo([0.001, 1e-5]), 'm.json')).toThrow(/BatchNormalization 'bn1' has epsilon 0.00001, others 0.001/);
    expect(() => kerasBatchNormEpsilon({}, 'm.json')).toThrow(/layers is missing/);
  });
});

describe('assertWeightsMatchSpec', () => {
  const b = new SpecBuilder('tiny');
  const x = b.input([4, 4, 2], { name: 'input_1' });
  b.dense(b.flatten(b.conv2d(x, { name: 'c', filters: 3, kernelSize: 1 })), { name: 'd', units: 2 });
  const spec = b.build('d');
  const t = (...shape: number[]) => ({ shape, data: new Float32Array(shape.reduce((a, c) => a * c, 1)) });
  const good = { 'c/kernel': t(1, 1, 2, 3), 'c/bias': t(3), 'd/kernel': t(48, 2), 'd/bias': t(2) };

  it('accepts exactly the spec parameters', () => {
    expect(() => assertWeightsMatchSpec(spec, good, 'w')).not.toThrow();
  });
  it('names a missing parameter', () => {
    const { 'd/bias': _drop, ...rest } = good;
    expect(() => assertWeightsMatchSpec(spec, rest, 'w')).toThrow(/w: weight 'd\/bias' of model 'tiny' is missing/);
  });
  it('names a wrong shape', () => {
    expect(() => assertWeightsMatchSpec(spec, { ...good, 'c/kernel': t(1, 1, 3, 2) }, 'w')).toThrow(
      /w: weight 'c\/kernel' has shape \[1, 1, 3, 2\] but model 'tiny' expects \[1, 1, 2, 3\]/,
    );
  });
  it('names an extra weight', () => {
    expect(() => assertWeightsMatchSpec(spec, { ...good, 'e/kernel': t(1) }, 'w')).toThrow(/w: unknown weight 'e\/kernel' for model 'tiny'/);
  });
});
