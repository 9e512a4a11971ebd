import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  DatasetError,
  type Pixels,
  decodeImage,
  fitImage,
  loadImage,
  loadImageFolder,
  preprocess,
  resizeBilinearBytes,
  resizeBilinearFloat,
  resizeNearest,
} from '../src/index.js';
import { tempDir, testImage } from './helpers.js';

// Numbers from Pillow 12.3.0 (scripts/pil-reference.py); keys name the operation.
const PIL = JSON.parse(readFileSync(new URL('./fixtures/pil-reference.json', import.meta.url), 'utf8')) as Record<string, number[]>;
const ref = (key: string): number[] => {
  const v = PIL[key];
  if (!v) throw new Error(`no reference '${key}'`);
  return v;
};

const img7x5: Pixels<Uint8Array> = { width: 7, height: 5, channels: 3, data: testImage(7, 5) };
const png = (p: Pixels<Uint8Array>): Promise<Buffer> =>
  sharp(p.data, { raw: { width: p.width, height: p.height, channels: 3 } })
    .png()
    .toBuffer();

describe('resize, bit-exact with Pillow', () => {
  // Pillow's antialiased bilinear and its nearest, against the sizes the reference script wrote.
  const RESIZE = { bilinear: resizeBilinearBytes, nearest: resizeNearest } as const;
  it.each([
    ['bilinear', 3, 2],
    ['bilinear', 11, 8],
    ['bilinear', 4, 9],
    ['bilinear', 7, 3],
    ['nearest', 3, 2],
    ['nearest', 11, 8],
    ['nearest', 4, 9],
  ] as const)('%s 7x5 -> %ix%i', (method, w, h) => {
    expect([...RESIZE[method](img7x5, w, h).data]).toEqual(ref(`${method} ${w}x${h}`));
  });

  it('bilinear with a large downscale factor (40x30 -> 6x5: 7 taps per output pixel)', () => {
    const big: Pixels<Uint8Array> = { width: 40, height: 30, channels: 3, data: testImage(40, 30) };
    const out = resizeBilinearBytes(big, 6, 5);
    expect([...out.data]).toEqual(ref('bilinear40x30->6x5'));
    // The float version uses the same weights without 8-bit rounding: within one level of Pillow.
    const f = resizeBilinearFloat({ ...big, data: Float32Array.from(big.data) }, 6, 5);
    const diff = Math.max(...f.data.map((v, i) => Math.abs(v - (out.data[i] as number))));
    expect(diff).toBeGreaterThan(0);
    expect(diff).toBeLessThanOrEqual(1);
  });

  it('nearest ties fall as in Pillow, which accumulates the source position (4x2 -> 7x7)', () => {
    const small: Pixels<Uint8Array> = { width: 4, height: 2, channels: 3, data: testImage(4, 2) };
    expect([...resizeNearest(small, 7, 7).data]).toEqual(ref('nearest 4x2->7x7'));
  });

  it('centre crop as torchvision Resize(4) + CenterCrop(3): shorter side 4, top = round(0.5) = 0, left = 1', () => {
    const out = fitImage(img7x5, { size: 3, crop: 'center', resizeShorter: 4 });
    expect([out.width, out.height]).toEqual([3, 3]);
    expect([...out.data]).toEqual(ref('center 3 shorter 4'));
    expect(ref('center geometry')).toEqual([0, 1]);
  });

  it('rejects bad sizes and options by name', () => {
    expect(() => resizeBilinearBytes(img7x5, 0, 2)).toThrow(/output width must be a positive integer, got 0/);
    expect(() => fitImage(img7x5, { size: [2.5, 3] })).toThrow(/size must be a positive integer/);
    expect(() => fitImage(img7x5, { size: 3, crop: 'center', resizeShorter: 2 })).toThrow(/resizeShorter must be an integer >= the crop size 3/);
    expect(() => fitImage(img7x5, { size: 3, resize: 'bicubic' as 'nearest' })).toThrow(/resize must be 'bilinear' or 'nearest', got 'bicubic'/);
  });
});

describe('preprocess presets, bit-exact with Keras preprocess_input on float32', () => {
  const x = { shape: [1, 5, 7, 3], data: Float32Array.from(testImage(7, 5)) };
  const bits = (a: Float32Array): number[] => [...new Uint32Array(a.buffer, a.byteOffset, 6)];
  it.each(['caffe', 'tf', 'torch'] as const)('%s', (preset) => {
    expect(ref('first pixels')).toEqual([...x.data.subarray(0, 6)]);
    const out = preprocess(x, preset);
    expect(out.shape).toEqual([1, 5, 7, 3]);
    expect(bits(out.data)).toEqual(ref(`${preset} hex`));
  });
  it('caffe is BGR minus the ImageNet mean; tf spans [-1, 1]', () => {
    const px = { shape: [1, 1, 1, 3], data: Float32Array.of(255, 0, 10) };
    expect([...preprocess(px, 'caffe').data]).toEqual([10 - 103.939, -116.779, 255 - 123.68].map(Math.fround));
    expect([...preprocess(px, 'tf').data]).toEqual([1, -1, Math.fround(Math.fround(10 / 127.5) - 1)]);
  });
  it('rejects unknown presets and non-RGB tensors', () => {
    expect(() => preprocess(x, 'inception' as 'tf')).toThrow(/unknown preprocessing preset 'inception'; expected one of caffe, tf, torch/);
    expect(() => preprocess({ shape: [1, 2, 2, 1], data: new Float32Array(4) }, 'tf')).toThrow(/3 channels/);
  });
});

describe('decoding and loading files', async () => {
  const dir = await tempDir();
  const pngPath = join(dir, 'test.png');
  await writeFile(pngPath, await png(img7x5));

  it('loads a PNG as [1, h, w, 3] values 0..255, resized as Pillow', async () => {
    const t = await loadImage(pngPath, { size: [2, 3] });
    expect(t.shape).toEqual([1, 2, 3, 3]);
    expect([...t.data]).toEqual(ref('bilinear 3x2'));
    const n = await loadImage(await readFileBytes(pngPath), { size: [8, 11], resize: 'nearest' });
    expect([...n.data]).toEqual(ref('nearest 11x8'));
    const same = await loadImage(pngPath);
    expect([...same.data]).toEqual([...img7x5.data]);
  });

  it('decodes grey and RGBA images to RGB, and JPEG', async () => {
    const grey = await sharp(Uint8Array.of(10, 200), { raw: { width: 2, height: 1, channels: 1 } })
      .png()
      .toBuffer();
    expect([...(await decodeImage(grey)).data]).toEqual([10, 10, 10, 200, 200, 200]);
    const rgba = await sharp(Uint8Array.of(1, 2, 3, 0), { raw: { width: 1, height: 1, channels: 4 } })
      .png()
      .toBuffer();
    expect([...(await decodeImage(rgba)).data]).toEqual([1, 2, 3]); // alpha dropped, not composited (PIL convert('RGB'))
    const flat = new Uint8Array(16 * 16 * 3).fill(128);
    const jpeg = await sharp(flat, { raw: { width: 16, height: 16, channels: 3 } })
      .jpeg({ quality: 95 })
      .toBuffer();
    const d = await decodeImage(jpeg);
    expect([d.width, d.height]).toEqual([16, 16]);
    expect(Math.max(...d.data.map((v) => Math.abs(v - 128)))).toBeLessThanOrEqual(1);
  });

  it('does not apply an embedded ICC profile (stored values, as PIL gives them)', async () => {
    const px = testImage(7, 5);
    const plain = await sharp(px, { raw: { width: 7, height: 5, channels: 3 } })
      .png()
      .toBuffer();
    const p3 = await sharp(px, { raw: { width: 7, height: 5, channels: 3 } })
      .withIccProfile('p3')
      .png()
      .toBuffer();
    const tagged = withChunkFrom(plain, p3, 'iCCP');
    const stored = [...px];
    expect([...(await decodeImage(tagged)).data]).toEqual(stored);
    // sharp's default pipeline would have converted Display P3 to sRGB:
    expect([...(await sharp(tagged).raw().toBuffer())]).not.toEqual(stored);
  });

  it('names the path of a missing, truncated or non-image file', async () => {
    const text = join(dir, 'notes.png');
    await writeFile(text, 'this is not an image');
    await expect(loadImage(text)).rejects.toThrow(new RegExp(`${text}: unreadable image`));
    const noisy = await sharp(testImage(64, 64), { raw: { width: 64, height: 64, channels: 3 } })
      .jpeg()
      .toBuffer();
    const cut = join(dir, 'cut.jpg');
    await writeFile(cut, noisy.subarray(0, noisy.length >> 1));
    await expect(loadImage(cut)).rejects.toThrow(/cut\.jpg: unreadable image \(.*premature end/);
    const err = await loadImage(join(dir, 'absent.jpg')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).path).toBe(join(dir, 'absent.jpg'));
  });
});

/** `target` PNG with the first `type` chunk of `source` inserted after IHDR (chunk CRCs cover type + data only). */
function withChunkFrom(target: Buffer, source: Buffer, type: string): Buffer {
  let at = 8;
  while (at < source.length) {
    const len = source.readUInt32BE(at);
    if (source.toString('latin1', at + 4, at + 8) === type) {
      const chunk = source.subarray(at, at + 12 + len);
      const afterIhdr = 8 + 12 + target.readUInt32BE(8);
      return Buffer.concat([target.subarray(0, afterIhdr), chunk, target.subarray(afterIhdr)]);
    }
    at += 12 + len;
  }
  throw new Error(`no ${type} chunk`);
}

async function readFileBytes(path: string): Promise<Uint8Array> {
  return new Uint8Array(readFileSync(path));
}

describe('image folders', async () => {
  const root = await tempDir();
  const solid = (r: number, g: number, b: number, w: number, h: number): Promise<Buffer> =>
    sharp({ create: { width: w, height: h, channels: 3, background: { r, g, b } } })
      .png()
      .toBuffer();
  await mkdir(join(root, 'dogs'));
  await mkdir(join(root, 'cats'));
  await writeFile(join(root, 'cats', 'b.png'), await solid(10, 20, 30, 8, 6));
  await writeFile(join(root, 'cats', 'a.PNG'), await solid(40, 50, 60, 3, 9));
  await writeFile(join(root, 'cats', 'readme.txt'), 'not an image extension: ignored');
  await writeFile(
    join(root, 'dogs', 'x.jpg'),
    await sharp({ create: { width: 5, height: 5, channels: 3, background: { r: 200, g: 100, b: 0 } } })
      .jpeg({ quality: 100 })
      .toBuffer(),
  );
  await writeFile(join(root, 'dogs', 'broken.jpeg'), 'plain text with an image name');

  it('fails on the first unreadable image, naming it', async () => {
    await expect(loadImageFolder(root, { size: 4 })).rejects.toThrow(/dogs\/broken\.jpeg: unreadable image/);
  });

  it('with skipUnreadable, reports them and stacks the rest: classes sorted, labels = class index', async () => {
    const set = await loadImageFolder(root, { size: 4, skipUnreadable: true });
    expect(set.classNames).toEqual(['cats', 'dogs']);
    expect(set.paths.map((p) => p.slice(root.length + 1))).toEqual(['cats/a.PNG', 'cats/b.png', 'dogs/x.jpg']);
    expect([...set.y]).toEqual([0, 0, 1]);
    expect(set.x.shape).toEqual([3, 4, 4, 3]);
    expect(set.x.divisor).toBe(1);
    expect([...set.x.data.subarray(0, 3)]).toEqual([40, 50, 60]);
    expect([...set.x.data.subarray(48, 51)]).toEqual([10, 20, 30]);
    const dog = [...set.x.data.subarray(96, 99)];
    dog.forEach((v, i) => expect(Math.abs(v - ([200, 100, 0][i] as number))).toBeLessThanOrEqual(2));
    expect(set.unreadable).toHaveLength(1);
    expect(set.unreadable[0]?.path).toBe(join(root, 'dogs', 'broken.jpeg'));
    expect(set.unreadable[0]?.reason).toMatch(/unreadable image/);
  });

  it('uses Int32 labels beyond 256 classes', async () => {
    const many = await tempDir();
    const tiny = await solid(1, 2, 3, 1, 1);
    const names = Array.from({ length: 300 }, (_, i) => `class${String(i).padStart(3, '0')}`);
    await Promise.all(
      names.map(async (n) => {
        await mkdir(join(many, n));
        await writeFile(join(many, n, 'img.png'), tiny);
      }),
    );
    const set = await loadImageFolder(many, { size: 1 });
    expect(set.y).toBeInstanceOf(Int32Array);
    expect(set.y[299]).toBe(299);
    expect(set.classNames[299]).toBe('class299');
  });

  it('rejects a folder without class directories, and bad options once', async () => {
    const empty = await tempDir();
    await expect(loadImageFolder(empty, { size: 4 })).rejects.toThrow(/no class sub-directories/);
    await expect(loadImageFolder(root, { size: 4, crop: 'middle' as 'center', skipUnreadable: true })).rejects.toThrow(/crop must be 'center' or 'none'/);
  });
});
