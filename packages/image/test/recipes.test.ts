// Whole recipes against Pillow and Keras (test/fixtures/pillow-recipes.json, written by scripts/pillow-fixtures.py
// with Pillow 12.3.0, NumPy 2.4.6, Keras 3.15.1): torchvision's Resize(S) + CenterCrop on odd-sized images, landscape
// and portrait, with crop offsets on .5 (Python rounds half to even), and straight resizes (Keras' load_img), down
// and up, bilinear and nearest; then Keras' own preprocess_input. Tolerance 0: the README claims Pillow's pixels and
// Keras' float32 values bit for bit, so one level (or one ulp) off fails.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ImageRecipe, imageTransforms } from '../src/index.js';

interface Case {
  name: string;
  image: [number, number];
  recipe: { size: [number, number]; crop: 'center' | 'none'; resize: 'bilinear' | 'nearest'; resizeShorter?: number };
  /** Centre crops: [resized width, resized height, top, left], as torchvision computed them. */
  geometry?: [number, number, number, number];
  pixels: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/pillow-recipes.json', import.meta.url), 'utf8')) as {
  cases: Case[];
  'preprocess of case 0, rows 0-3': Record<ImageRecipe['preprocessing'], number[]>;
};

/** pixel (x, y, c) = (37x + 91y + 53c + 13xy + 7(x xor y)) mod 256, the image of scripts/pillow-fixtures.py. */
function testImage(width: number, height: number) {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = (x * 37 + y * 91 + c * 53 + x * y * 13 + 7 * (x ^ y)) % 256;
  return { width, height, data };
}

const recipeOf = (c: Case, preprocessing: ImageRecipe['preprocessing'] = 'caffe'): ImageRecipe => ({
  inputShape: [c.recipe.size[0], c.recipe.size[1], 3],
  resize: c.recipe.resize,
  crop: c.recipe.crop,
  ...(c.recipe.resizeShorter !== undefined ? { resizeShorter: c.recipe.resizeShorter } : {}),
  preprocessing,
});

describe('recipes against Pillow: resize and crop, bit for bit', () => {
  it('the fixture covers both crop roundings of .5 and both orientations', () => {
    const offsets = fixture.cases.flatMap((c) => (c.geometry ? [c.geometry[2], c.geometry[3]] : []));
    // 4.5 -> 4 and 0.5 -> 0 (down to even), 1.5 -> 2 and 7.5 -> 8 (up to even).
    for (const o of [4, 0, 2, 8]) expect(offsets).toContain(o);
    expect(fixture.cases.some((c) => c.image[0] < c.image[1] && c.recipe.crop === 'center')).toBe(true);
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const rgb = imageTransforms(recipeOf(c)).resizeAndCrop(testImage(...c.image));
    expect(rgb.shape).toEqual([1, c.recipe.size[0], c.recipe.size[1], 3]);
    const got = [...rgb.data];
    const off = got.flatMap((v, i) => (v === c.pixels[i] ? [] : [`[${i}] ${v} vs Pillow ${c.pixels[i]}`]));
    expect(off.slice(0, 5), `${off.length} of ${got.length} values differ from Pillow`).toEqual([]);
  });
});

describe("preprocess against Keras' preprocess_input (its own code, float32)", () => {
  const c = fixture.cases[0]!;
  const rowValues = 4 * c.recipe.size[1] * 3;
  it.each(['caffe', 'tf', 'torch'] as const)('%s on the first centre crop (rows 0-3), every value exact', (preset) => {
    const input = imageTransforms(recipeOf(c, preset))(testImage(...c.image));
    const got = [...input.data.subarray(0, rowValues)];
    const want = fixture['preprocess of case 0, rows 0-3'][preset];
    expect(want).toHaveLength(rowValues);
    const off = got.flatMap((v, i) => (v === want[i] ? [] : [`[${i}] ${v} vs Keras ${want[i]}`]));
    expect(off.slice(0, 5), `${off.length} of ${rowValues} values differ from Keras`).toEqual([]);
  });
});
