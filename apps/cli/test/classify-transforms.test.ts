// What `convzoo classify` feeds ResNet50 is the weights entry's transforms, and those equal, bit for bit, Keras' own
// input for the same photo (keras.utils.load_img, Pillow's Resize(256) + CenterCrop(224), resnet50.preprocess_input:
// fixtures/photos/keras-inputs.json, written by make_keras_inputs.py beside it) and the pipeline classify spelled
// out itself before the entries carried transforms (loadImage + preprocess with the recipe's options).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Tensor } from '@convzoo/backend';
import { decodeImage, loadImage, preprocess } from '@convzoo/datasets';
import { getPretrained } from '@convzoo/weights';
import { describe, expect, it } from 'vitest';
import { prepareImage } from '../src/commands/classify.js';

interface KerasInput {
  shape: number[];
  sha256: string;
  rgbSha256: string;
  first: number[];
  sum: number;
}
const fixtures = new URL('../fixtures/photos/', import.meta.url);
const KERAS = JSON.parse(readFileSync(new URL('keras-inputs.json', fixtures), 'utf8')) as { keras: string; photos: Record<string, KerasInput> };
const entry = getPretrained('resnet50', 'keras-imagenet');
const sha256 = (t: Tensor): string =>
  createHash('sha256')
    .update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength))
    .digest('hex');

describe.each(Object.entries(KERAS.photos))(`resnet50 keras-imagenet transforms vs Keras ${KERAS.keras}: %s`, (name, keras) => {
  const path = fileURLToPath(new URL(name, fixtures));

  it("classify's prepareImage (the entry's transforms) gives Keras' crop and preprocess_input, bit for bit", async () => {
    const { rgb, input } = await prepareImage(path, entry.transforms);
    expect(input.shape).toEqual(keras.shape);
    expect([...input.data.subarray(0, 6)]).toEqual(keras.first);
    expect(input.data.reduce((s, v) => s + v, 0)).toBeCloseTo(keras.sum, 0);
    expect(sha256(rgb)).toBe(keras.rgbSha256);
    expect(sha256(input)).toBe(keras.sha256);
  });

  it('equals the recipe spelled out by hand, fromFile (path and bytes) and the RGBA (canvas ImageData) path', async () => {
    const byHand = preprocess(await loadImage(path, { size: [224, 224], resize: 'bilinear', crop: 'center', resizeShorter: 256 }), 'caffe');
    const input = await entry.transforms.fromFile(path);
    expect(sha256(input)).toBe(sha256(byHand));
    expect(sha256(await entry.transforms.fromFile(readFileSync(path)))).toBe(keras.sha256);
    const rgb = await decodeImage(path);
    const rgba = new Uint8ClampedArray(rgb.width * rgb.height * 4).map((_, i) => (i % 4 === 3 ? 255 : rgb.data[i - (i >> 2)]!));
    expect(sha256(entry.transforms({ width: rgb.width, height: rgb.height, data: rgba }))).toBe(keras.sha256);
  });
});

describe('the entry decodes as Keras decode_predictions', () => {
  it('labels and top-k come with the entry', () => {
    expect(entry.labels).toHaveLength(1000);
    const probs = new Float32Array(1000);
    probs[285] = 0.7; // Egyptian_cat
    probs[281] = 0.2; // tabby
    expect(entry.decode(probs, 2)).toEqual([
      { index: 285, label: 'Egyptian_cat', probability: Math.fround(0.7) },
      { index: 281, label: 'tabby', probability: Math.fround(0.2) },
    ]);
    expect(entry.decode(probs)).toHaveLength(5);
  });
});
