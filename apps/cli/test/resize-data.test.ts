// `--input HxWxC`: data-set images resized to a model's input (bilinear as Pillow), grey replicated to RGB.
import { describe, expect, it } from 'vitest';
import { resizeData, type LoadedData } from '../src/train-data.js';

const grey: LoadedData = {
  train: { x: { shape: [1, 2, 2, 1], data: new Float32Array([0, 1, 1, 0]) }, y: { shape: [1, 2], data: new Float32Array([1, 0]) } },
  test: { x: { shape: [1, 2, 2, 1], data: new Float32Array([1, 1, 1, 1]) }, y: { shape: [1, 2], data: new Float32Array([0, 1]) } },
  classNames: ['a', 'b'],
  imageShape: [2, 2, 1],
};

describe('resizeData', () => {
  it('resizes every image and replicates grey into three equal channels; labels stay', () => {
    const out = resizeData(grey, [4, 4, 3]);
    expect(out.imageShape).toEqual([4, 4, 3]);
    const x = out.train.x as { shape: number[]; data: Float32Array };
    expect(x.shape).toEqual([1, 4, 4, 3]);
    for (let p = 0; p < 16; p++) expect(x.data[p * 3]).toBe(x.data[p * 3 + 2]);
    expect(x.data[0]).toBeCloseTo(0, 5); // corners keep the source pixel
    expect(x.data[3 * 3]).toBeCloseTo(1, 5);
    expect(Array.from((out.test.x as { data: Float32Array }).data).every((v) => Math.abs(v - 1) < 1e-6)).toBe(true);
    expect(out.train.y).toBe(grey.train.y);
  });

  it('returns the data unchanged when the shapes agree, and refuses RGB into one channel', () => {
    expect(resizeData(grey, [2, 2, 1])).toBe(grey);
    expect(() => resizeData({ ...grey, imageShape: [2, 2, 3] }, [4, 4, 1])).toThrow(/cannot feed 3-channel images to a 1-channel input 4x4x1/);
  });
});
