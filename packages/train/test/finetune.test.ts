// finetune(): the network cut where the frozen part ends, and Keras' frozen-layer semantics held on a real backend
// (tfjs-wasm): frozen weights and every BatchNorm's statistics unchanged, unfrozen convolutions trained, and the
// whole fine-tuned network on images giving what the head gave on the cached features.
import { compile, initialWeights, type Tensor, type WeightMap } from '@convzoo/backend';
import { registerTfjsBackends } from '@convzoo/backend-tfjs';
import { countParams, getModel, paramInfos } from '@convzoo/models';
import { describe, expect, it } from 'vitest';
import {
  backboneStages,
  createFeatureExtractor,
  FinetuneError,
  finetune,
  finetuneRecord,
  readFinetuneRecord,
  finetuneSpec,
  HEADLESS_POOL,
  headlessBackbone,
  recipeAtSize,
  splitSpec,
  stratifiedSplit,
} from '../src/index.js';

const resnet50 = getModel('resnet50', { includeTop: false, pooling: 'avg', inputShape: [64, 64, 3] });

describe('finetuneSpec: where the network is cut', () => {
  it("counts ResNet50's stages conv1..conv5 and, frozen, trains only the new head", () => {
    expect(backboneStages(resnet50).map((s) => `${s.name}:${s.end}`)).toEqual([
      'conv1:conv1_relu',
      'conv2:conv2_block3_out',
      'conv3:conv3_block4_out',
      'conv4:conv4_block6_out',
      'conv5:conv5_block3_out',
    ]);
    const f = finetuneSpec(resnet50, { classes: 3 });
    expect(f.cut).toBe('conv5_block3_out');
    expect(f.featureShape).toEqual([2, 2, 2048]);
    expect(f.trainable.layers.map((l) => l.name)).toEqual(['conv5_block3_out', 'avg_pool', 'predictions']);
    expect(countParams(f.spec).trainable).toBe(2048 * 3 + 3);
    expect(countParams(f.spec).total).toBe(countParams(resnet50).total + 2048 * 3 + 3);
  });

  it('--unfreeze 1 trains conv5 (its convolutions, not its BatchNorms) from the cached output of conv4', () => {
    const f = finetuneSpec(resnet50, { classes: 2, unfreeze: 1 });
    expect(f.cut).toBe('conv4_block6_out');
    expect(f.unfrozen).toEqual(['conv5']);
    const trainable = paramInfos(f.spec).filter((p) => p.trainable);
    expect(new Set(trainable.map((p) => p.layer.split('_')[0]))).toEqual(new Set(['conv5', 'predictions']));
    expect(trainable.some((p) => p.layer.endsWith('_bn'))).toBe(false);
    expect(f.trainable.inputs).toEqual(['conv4_block6_out']);
  });

  it.each([
    [{ classes: 3, unfreeze: 5 }, /unfreeze must be an integer in 0\.\.4 \(resnet50 has 5 stages: conv1, conv2, conv3, conv4, conv5\), got 5/],
    [{ classes: 3, unfreeze: -1 }, /unfreeze must be an integer in 0\.\.4/],
    [{ classes: 1 }, /at least 2 classes, got 1/],
  ])('refuses %j naming the rule', (options, says) => {
    expect(() => finetuneSpec(resnet50, options)).toThrow(FinetuneError);
    expect(() => finetuneSpec(resnet50, options)).toThrow(says);
  });

  it('refuses a cut that a residual shortcut jumps over, naming the layer that reads across it', () => {
    expect(() => splitSpec(resnet50, 'conv5_block3_1_relu')).toThrow(/layer 'conv5_block3_add' reads 'conv5_block2_out', from before the cut/);
  });

  it('holds out the same fraction of every class (a folder is sorted by class), at least one each', () => {
    const labels = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2];
    const { train, validation } = stratifiedSplit(labels, 3, 0.2, 0);
    expect(validation.map((i) => labels[i])).toEqual([0, 1, 1, 2]);
    expect([...train, ...validation].sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
  });

  it("a checkpoint's fine-tuning record: written and read back, a broken one named, others not taken for one", () => {
    const recipe = {
      inputShape: [112, 112, 3] as [number, number, number],
      resize: 'bilinear' as const,
      crop: 'center' as const,
      resizeShorter: 128,
      preprocessing: 'caffe' as const,
    };
    const record = finetuneRecord({ model: 'resnet50', weights: 'resnet50.keras_imagenet', classNames: ['cat', 'dog'], recipe, unfreeze: 1 });
    expect(readFinetuneRecord(JSON.parse(JSON.stringify({ ...record, run: 'x' })))).toEqual(record);
    expect(readFinetuneRecord({ model: 'lenet', dataset: 'mnist' })).toBeUndefined();
    expect(String(readFinetuneRecord({ ...record, classNames: undefined }))).toMatch(/no class names \(extra\.classNames\)/);
    expect(String(readFinetuneRecord({ ...record, recipe: 'caffe' }))).toMatch(/no input recipe \(extra\.recipe\)/);
  });

  it('scales the weights recipe to another input size (shorter side 256 for 224 -> 128 for 112)', () => {
    const recipe = {
      inputShape: [224, 224, 3] as [number, number, number],
      resize: 'bilinear' as const,
      crop: 'center' as const,
      resizeShorter: 256,
      preprocessing: 'caffe' as const,
    };
    expect(recipeAtSize(recipe, [112, 112, 3])).toEqual({ ...recipe, inputShape: [112, 112, 3], resizeShorter: 128 });
  });

  it('cuts a whole classifier where its image-shaped features end (an imported file as a backbone)', () => {
    // VGG16 flattens block5_pool into fc1..predictions: those go, a global average pool is appended.
    const vgg = getModel('vgg16', { inputShape: [32, 32, 3], classes: 10 });
    const vggCut = headlessBackbone(vgg, initialWeights(vgg, { seed: 1 }));
    expect(vggCut.spec.layers.at(-2)!.name).toBe('block5_pool');
    expect(vggCut.spec.layers.at(-1)).toMatchObject({ kind: 'globalAvgPool2d', name: HEADLESS_POOL, inputs: ['block5_pool'] });
    expect(vggCut.spec.outputs).toEqual([HEADLESS_POOL]);
    expect(Object.keys(vggCut.weights).some((k) => k.startsWith('fc1/') || k.startsWith('predictions/'))).toBe(false);
    expect(Object.keys(vggCut.weights)).toHaveLength(paramInfos(vggCut.spec).length);
    // ResNet50 with its top pools globally itself: its avg_pool is kept, only the classifier goes.
    const resnet = getModel('resnet50', { inputShape: [64, 64, 3], classes: 10 });
    const resnetCut = headlessBackbone(resnet, initialWeights(resnet, { seed: 1 }));
    expect(resnetCut.spec.outputs).toEqual(['avg_pool']);
    expect(resnetCut.spec.layers.map((l) => l.name)).toEqual(resnet50.layers.map((l) => l.name));
    expect(backboneStages(resnetCut.spec).map((s) => s.name)).toEqual(['conv1', 'conv2', 'conv3', 'conv4', 'conv5']);
  });
});

describe('finetune on tfjs-wasm: Keras semantics for frozen layers', () => {
  registerTfjsBackends();
  const backbone = getModel('resnet18', { includeTop: false, pooling: 'avg', inputShape: [32, 32, 3] });
  const weights = initialWeights(backbone, { seed: 3 });
  // BatchNorm statistics far from a batch's own, so a BatchNorm that ran in training mode would move them (a negative
  // mean keeps the ReLUs after them alive: a positive one left every gradient of layer4 at zero).
  for (const [name, w] of Object.entries(weights)) {
    if (name.endsWith('/moving_mean')) w.data.fill(-0.2);
    if (name.endsWith('/moving_variance')) w.data.fill(0.5);
  }
  const images: Tensor[] = Array.from({ length: 8 }, (_, i) => ({
    shape: [1, 32, 32, 3],
    data: Float32Array.from({ length: 32 * 32 * 3 }, (_, k) => Math.sin(k * (0.01 + 0.02 * (i % 2)) + i) * 2),
  }));
  const labels = [0, 1, 0, 1, 0, 1, 0, 1];

  it('--unfreeze 1: frozen weights and all BatchNorm parameters unchanged, layer4 convolutions and the head trained', async () => {
    const result = await finetune({
      backbone: { spec: backbone, weights },
      images,
      labels,
      classNames: ['a', 'b'],
      unfreeze: 1,
      backend: 'tfjs-wasm',
      epochs: 2,
      batchSize: 4,
      validationSplit: 0.25,
      seed: 1,
      optimizer: { kind: 'adam', learningRate: 1e-4 },
    });
    expect(result.split.unfrozen).toEqual(['layer4']);
    expect(result.trainCount).toBe(6);
    expect(result.history.history.val_accuracy).toHaveLength(2);
    const changed = (name: string) => !result.weights[name]!.data.every((v, i) => v === weights[name]!.data[i]);
    const params = paramInfos(result.spec).filter((p) => p.layer !== 'predictions');
    const moved = params.filter((p) => changed(p.name)).map((p) => p.name);
    // Exactly layer4's convolution kernels (torchvision flavour: no conv bias); no BatchNorm parameter or statistic.
    expect(moved.length).toBeGreaterThan(0);
    expect(moved.every((n) => n.startsWith('layer4_') && n.endsWith('/kernel') && !n.includes('bn'))).toBe(true);
    expect(params.filter((p) => p.layer.startsWith('layer4_') && p.param === 'kernel').every((p) => moved.includes(p.name))).toBe(true);

    // The whole network on the images gives what training saw: frozen part (inference mode) then the trained part.
    const whole = await compile(result.spec, { backend: 'tfjs-wasm', weights: result.weights, strictWeights: true });
    const [probs] = await whole.predict({ shape: [8, 32, 32, 3], data: Float32Array.from(images.flatMap((t) => Array.from(t.data))) });
    whole.dispose();
    const split = finetuneSpec(backbone, { classes: 2, unfreeze: 1 });
    const pick = (spec: typeof split.frozen): WeightMap => Object.fromEntries(paramInfos(spec).map((p) => [p.name, result.weights[p.name]!]));
    const frozen = await compile(split.frozen, { backend: 'tfjs-wasm', weights: pick(split.frozen) });
    const [features] = await frozen.predict({ shape: [8, 32, 32, 3], data: Float32Array.from(images.flatMap((t) => Array.from(t.data))) });
    frozen.dispose();
    const head = await compile(split.trainable, { backend: 'tfjs-wasm', weights: pick(split.trainable) });
    const [fromFeatures] = await head.predict(features!);
    head.dispose();
    // The random backbone's logits are large, so the probabilities sit near 0 and 1: compare them relatively (a
    // relative difference of p near 0 is the logits' difference). Measured 0 in 3 runs; bound 1e-4. The small
    // probabilities differ between images, so this is no constant that would match anyway.
    expect(new Set(Array.from(probs!.data, (v) => v.toPrecision(3))).size).toBeGreaterThan(8);
    let worst = 0;
    probs!.data.forEach((p, i) => {
      const q = fromFeatures!.data[i]!;
      worst = Math.max(worst, Math.abs(p - q) / Math.max(p, q, 1e-30));
    });
    expect(worst).toBeLessThan(1e-4);
  }, 120_000);

  it('features extracted beforehand (a page adding photos one by one) train the same head as the images', async () => {
    const common = { backbone: { spec: backbone, weights }, labels, classNames: ['a', 'b'], backend: 'tfjs-wasm', epochs: 2, batchSize: 4, seed: 2 };
    const fromImages = await finetune({ ...common, images });
    const extractor = await createFeatureExtractor({ backbone: { spec: backbone, weights }, backend: 'tfjs-wasm', batchSize: 1 });
    const perImage = await Promise.all(images.map((img) => extractor.extract([img])));
    extractor.dispose();
    expect(extractor.featureShape).toEqual([1, 1, 512]);
    const features: Tensor = { shape: [8, 1, 1, 512], data: Float32Array.from(perImage.flatMap((t) => Array.from(t.data))) };
    const fromFeatures = await finetune({ ...common, features });
    // Batch 1 against batch 8 through the same kernels: measured identical head weights (3 runs); bound 1e-6.
    const a = fromImages.weights['predictions/kernel']!.data;
    const b = fromFeatures.weights['predictions/kernel']!.data;
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i]!)))).toBeLessThan(1e-6);
    await expect(finetune({ ...common, features: { shape: [8, 2, 2, 512], data: new Float32Array(8 * 2048) } })).rejects.toThrow(
      /features of shape \[2, 2, 512\] per image, but the cut at 'layer4_1_relu' gives \[1, 1, 512\]/,
    );
    await expect(finetune({ ...common, images, features })).rejects.toThrow(/give images or features/);
  }, 120_000);

  it('weights by key (weightsSource, as a page passes its cached pretrained files) extract the same features', async () => {
    let loads = 0;
    const load = async () => {
      loads++;
      return weights;
    };
    const byKey = await createFeatureExtractor({
      backbone: { spec: backbone, weights: {} },
      weightsSource: { key: 'test-weights', load },
      backend: 'tfjs-wasm',
    });
    const given = await createFeatureExtractor({ backbone: { spec: backbone, weights }, backend: 'tfjs-wasm' });
    const [a, b] = [await byKey.extract(images), await given.extract(images)];
    byKey.dispose();
    given.dispose();
    // tfjs loads them at compile (it keeps no compiled model): once; the same kernels, so the same bits.
    expect(loads).toBe(1);
    expect(Buffer.from(a.data.buffer).equals(Buffer.from(b.data.buffer))).toBe(true);
  }, 120_000);

  it('refuses a class with no images and mismatched image shapes, naming them', async () => {
    const base = { backbone: { spec: backbone, weights }, backend: 'tfjs-wasm', epochs: 1, validationSplit: 0 };
    await expect(finetune({ ...base, images: images.slice(0, 2), labels: [0, 0], classNames: ['a', 'b'] })).rejects.toThrow(/class 'b' has no images/);
    const odd: Tensor = { shape: [1, 16, 16, 3], data: new Float32Array(16 * 16 * 3) };
    await expect(finetune({ ...base, images: [images[0]!, odd], labels: [0, 1], classNames: ['a', 'b'] })).rejects.toThrow(
      /image 1 has shape \[1, 16, 16, 3\], unlike image 0/,
    );
  }, 60_000);
});
