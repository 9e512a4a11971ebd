// A recipe as runnable transforms: stage 1 (resize + crop) gives Pillow's pixels, stage 2 Keras' preprocess_input;
// RGB, RGBA (canvas ImageData) and files give the same input; bad pixels and options fail naming what is wrong.
// (The pixel functions' own Pillow/Keras fixtures are in @convzoo/datasets' tests, which import them unchanged; the
// whole ResNet50 recipe on real photos is checked against Keras in apps/cli/test/classify-transforms.test.ts.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { type ImageRecipe, ImageError, fileTransforms, imageTransforms } from '../src/index.js';

/** pixel (x, y, c) = (37x + 91y + 53c + 13xy) mod 256, the test image of datasets' scripts/pil-reference.py. */
function testImage(width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) out[(y * width + x) * 3 + c] = (x * 37 + y * 91 + c * 53 + x * y * 13) % 256;
  }
  return out;
}

// Pillow 12.3: Image.resize((5, 4), BILINEAR) of the 7x5 test image, then the centre 3x3 (top 0, left 1), as
// torchvision's Resize(4) + CenterCrop(3) (datasets' pil-reference.json, 'center 3 shorter 4').
const PIL_CENTER_3_SHORTER_4 = [
  86, 139, 156, 132, 144, 186, 137, 190, 159, 156, 162, 132, 161, 120, 126, 119, 125, 118, 136, 142, 112, 163, 122, 128, 144, 149, 143,
];
const recipe: ImageRecipe = { inputShape: [3, 3, 3], resize: 'bilinear', crop: 'center', resizeShorter: 4, preprocessing: 'caffe' };
const img7x5 = { width: 7, height: 5, data: testImage(7, 5) };
const dir = mkdtempSync(join(tmpdir(), 'convzoo-image-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('imageTransforms', () => {
  const t = imageTransforms(recipe);

  it("stage 1 is Pillow's resize + centre crop; stage 2 Keras' caffe preprocess_input; calling runs both", () => {
    const rgb = t.resizeAndCrop(img7x5);
    expect(rgb.shape).toEqual([1, 3, 3, 3]);
    expect([...rgb.data]).toEqual(PIL_CENTER_3_SHORTER_4);
    const input = t(img7x5);
    expect([...input.data]).toEqual([...t.normalize(rgb).data]);
    // Keras caffe on the first pixel (R 86, G 139, B 156): BGR order, minus [103.939, 116.779, 123.68], all float32.
    const mean = [103.939, 116.779, 123.68].map(Math.fround);
    expect([...input.data.subarray(0, 3)]).toEqual([156, 139, 86].map((v, c) => Math.fround(v - mean[c]!)));
    expect(t.recipe).toBe(recipe);
  });

  it('takes RGB Pixels, RGBA (a canvas ImageData, alpha dropped, not composited) and clamped arrays alike', () => {
    const want = [...t(img7x5).data];
    const rgba = new Uint8ClampedArray(7 * 5 * 4).map((_, i) => (i % 4 === 3 ? i % 7 : img7x5.data[i - (i >> 2)]!));
    expect([...t({ width: 7, height: 5, data: rgba }).data]).toEqual(want);
    expect([...t({ ...img7x5, channels: 3 }).data]).toEqual(want);
    expect([...t({ width: 7, height: 5, data: new Uint8ClampedArray(img7x5.data) }).data]).toEqual(want);
  });

  it('rejects pixels and recipes it cannot run, with an ImageError saying what', () => {
    expect(() => t({ width: 7, height: 5, data: new Uint8Array(10) })).toThrow(/a 7x5 image needs 105 \(RGB\) or 140 \(RGBA\) bytes, got 10/);
    expect(() => t({ width: 7, height: 5, channels: 1, data: new Uint8Array(35) })).toThrow(ImageError);
    expect(() => imageTransforms({ ...recipe, resize: 'bicubic' as 'nearest' })(img7x5)).toThrow(/resize must be 'bilinear' or 'nearest', got 'bicubic'/);
    expect(() => imageTransforms({ ...recipe, resizeShorter: 2 })(img7x5)).toThrow(/resizeShorter must be an integer >= the crop size 3/);
    expect(() => imageTransforms({ ...recipe, preprocessing: 'inception' as 'tf' })(img7x5)).toThrow(/unknown preprocessing preset 'inception'/);
    // A stated mean must be the preset's (Keras fixes it), never silently ignored.
    expect(imageTransforms({ ...recipe, mean: [103.939, 116.779, 123.68] }).recipe.mean).toEqual([103.939, 116.779, 123.68]);
    expect(() => imageTransforms({ ...recipe, mean: [123.68, 116.779, 103.939] })).toThrow(
      /recipe mean \[123.68, 116.779, 103.939\] is not what preprocessing 'caffe' subtracts \(\[103.939, 116.779, 123.68\]\)/,
    );
    expect(() => imageTransforms({ ...recipe, preprocessing: 'tf', mean: [0.5, 0.5, 0.5] })).toThrow(/preprocessing 'tf' subtracts \(no mean\)/);
  });
});

describe('fileTransforms', () => {
  it('fromFile (path or bytes) decodes with sharp and gives what the pixels give', async () => {
    const png = await sharp(img7x5.data, { raw: { width: 7, height: 5, channels: 3 } })
      .png()
      .toBuffer();
    const path = join(dir, 'test.png');
    writeFileSync(path, png);
    const t = fileTransforms(recipe);
    const want = [...t(img7x5).data];
    expect([...(await t.fromFile(path)).data]).toEqual(want);
    expect([...(await t.fromFile(new Uint8Array(png))).data]).toEqual(want);
    const err = await t.fromFile(join(dir, 'absent.png')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageError);
    expect((err as ImageError).path).toBe(join(dir, 'absent.png'));
  });
});
