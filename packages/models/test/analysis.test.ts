import { describe, expect, it } from 'vitest';
import { SpecBuilder, analyze, countParams } from '../src/index.js';
import { tutorialLeNet, stackedConvs, vgg16 } from './fixtures.js';

const lastField = (spec: ReturnType<typeof stackedConvs>) => analyze(spec).layers.at(-1)!.receptiveField;

describe('analyze', () => {
  it('sees 5x5 through two stacked 3x3 convs and 7x7 through three', () => {
    expect(lastField(stackedConvs(1)).size).toEqual([3, 3]);
    expect(lastField(stackedConvs(2)).size).toEqual([5, 5]);
    expect(lastField(stackedConvs(3)).size).toEqual([7, 7]);
    // the single large kernels they replace see the same
    expect(lastField(stackedConvs(1, 5)).size).toEqual(lastField(stackedConvs(2)).size);
    expect(lastField(stackedConvs(1, 7)).size).toEqual(lastField(stackedConvs(3)).size);
  });

  it('saves ~45% of weights factorising 7x7 into three 3x3, and 28% for 5x5 into two', () => {
    const saving = (big: number, small: number) => 1 - countParams(stackedConvs(small, 3)).total / countParams(stackedConvs(1, big)).total;
    expect(saving(7, 3)).toBeCloseTo(1 - 27 / 49, 10);
    expect(Math.round(saving(7, 3) * 100)).toBe(45);
    expect(Math.round(saving(5, 2) * 100)).toBe(28);
  });

  it('grows the jump with strides and follows TF same-padding offsets', () => {
    const b = new SpecBuilder('t');
    let x = b.input([8, 7, 1]);
    x = b.conv2d(x, { filters: 1, kernelSize: 3, strides: 2, padding: 'same' });
    const first = x;
    x = b.conv2d(x, { filters: 1, kernelSize: 3 });
    const rf = analyze(b.build(x)).layers;
    const f1 = rf.find((l) => l.name === first)!.receptiveField;
    // height 8: padding 0 before / 1 after, so the first cell is centred on pixel 1; width 7: 1 / 1, centred on 0
    expect(f1).toEqual({ size: [3, 3], jump: [2, 2], start: [1, 0] });
    expect(rf.at(-1)!.receptiveField).toEqual({ size: [7, 7], jump: [2, 2], start: [3, 2] });
  });

  it('takes the widest field of a merge and spans the map at global pooling', () => {
    const b = new SpecBuilder('t');
    const x = b.input([9, 9, 2]);
    const a = b.conv2d(x, { filters: 2, kernelSize: 1 });
    const c = b.conv2d(b.conv2d(x, { filters: 2, kernelSize: 3, padding: 'same' }), { filters: 2, kernelSize: 3, padding: 'same' });
    const sum = b.add([a, c]);
    const g = b.globalAvgPool2d(sum);
    const layers = analyze(b.build(b.dense(g, { units: 3 }))).layers;
    expect(layers.find((l) => l.name === sum)!.receptiveField.size).toEqual([5, 5]);
    expect(layers.find((l) => l.name === g)!.receptiveField.size).toEqual([13, 13]);
    expect(layers.at(-1)!.receptiveField.size).toEqual([13, 13]);
  });

  it('counts LeNet MACs and memory', () => {
    const a = analyze(tutorialLeNet());
    const byName = Object.fromEntries(a.layers.map((l) => [l.name, l]));
    expect(byName.conv2d!.macs).toBe(24 * 24 * 5 * 5 * 1 * 20);
    expect(byName.conv2d_1!.macs).toBe(8 * 8 * 5 * 5 * 20 * 50);
    expect(byName.dense!.macs).toBe(800 * 500);
    expect(byName.max_pooling2d!.macs).toBe(0);
    expect(a.totals.macs).toBe(288_000 + 1_600_000 + 400_000 + 5_000);
    expect(a.totals.params).toBe(431_080);
    expect(a.totals.paramBytes).toBe(431_080 * 4);
    expect(byName.conv2d!.activationBytes).toBe(24 * 24 * 20 * 4);
    expect(a.totals.activations).toBe(784 + 11_520 + 2_880 + 3_200 + 800 + 800 + 500 + 10);
  });

  it('puts VGG16 where the classic cs231n table does: 138M weights (~528 MB), ~15M activations per image', () => {
    // cs231n lists per-layer activations (224*224*64 = 3.2M for each of the first two convs, ...) and states a
    // total of "24M * 4 bytes ~= 93MB"; its own rows add up to ~15.2M (~61 MB), which is what the spec gives.
    const spec = vgg16();
    expect(countParams(spec).total).toBe(138_357_544);
    const { layers, totals } = analyze(spec);
    expect(layers[1]!.activations).toBe(224 * 224 * 64);
    expect(totals.activations / 1e6).toBeCloseTo(15.26, 2);
    expect(totals.activationBytes / 1e6).toBeCloseTo(61.05, 2);
    expect(totals.paramBytes / 2 ** 20).toBeCloseTo(527.79, 2);
    expect(totals.macs / 1e9).toBeCloseTo(15.47, 2);
  });
});
