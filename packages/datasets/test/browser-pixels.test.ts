// The browser entry's pixel helpers: canvas RGBA -> RGB, and a drawing made MNIST-style (20x20 box, centre of mass
// at the centre of 28x28).
import { describe, expect, it } from 'vitest';
import { DatasetError, mnistStyleDigit, rgbaToRgb } from '../src/browser.js';

function canvas(w: number, h: number, ink: (x: number, y: number) => number): { width: number; height: number; channels: 1; data: Uint8Array } {
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = ink(x, y);
  return { width: w, height: h, channels: 1, data };
}

function stats(d: Float32Array) {
  let top = 28,
    bottom = -1,
    left = 28,
    right = -1,
    mass = 0,
    cx = 0,
    cy = 0;
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const v = d[y * 28 + x]!;
      if (v > 0) {
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
        left = Math.min(left, x);
        right = Math.max(right, x);
      }
      mass += v;
      cx += v * x;
      cy += v * y;
    }
  }
  return { h: bottom - top + 1, w: right - left + 1, cx: cx / mass, cy: cy / mass };
}

describe('rgbaToRgb', () => {
  it('drops alpha without compositing', () => {
    const rgb = rgbaToRgb({ width: 2, height: 1, data: Uint8ClampedArray.from([1, 2, 3, 0, 4, 5, 6, 255]) });
    expect([...rgb.data]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rgb.channels).toBe(3);
  });
  it('names a size mismatch', () => {
    expect(() => rgbaToRgb({ width: 2, height: 2, data: new Uint8Array(4) })).toThrow(DatasetError);
  });
});

describe('mnistStyleDigit', () => {
  it('scales the ink box so its longer side is 20 pixels and centres the mass at 13.5', () => {
    // A tall bar off to the top-left of a 280x280 pad.
    const d = mnistStyleDigit(canvas(280, 280, (x, y) => (x >= 20 && x < 60 && y >= 10 && y < 210 ? 255 : 0)));
    expect(d.hasInk).toBe(true);
    const s = stats(d.data);
    expect(s.h).toBe(20);
    expect(s.w).toBe(4);
    expect(Math.abs(s.cx - 13.5)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(s.cy - 13.5)).toBeLessThanOrEqual(0.5);
    expect(Math.max(...d.data)).toBeCloseTo(1, 5);
  });
  it('moves the box by the centre of mass, not the box centre', () => {
    // An L: most ink in the bottom row, so the mass sits low and the box is shifted up.
    const d = mnistStyleDigit(canvas(100, 100, (x, y) => ((x < 10 && y < 100) || (y >= 90 && x < 100) ? 255 : 0)));
    const s = stats(d.data);
    expect(Math.abs(s.cx - 13.5)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(s.cy - 13.5)).toBeLessThanOrEqual(0.5);
    expect(s.w).toBe(20);
    expect(s.h).toBe(20);
  });
  it('reports an empty pad instead of inventing a digit', () => {
    const d = mnistStyleDigit(canvas(50, 50, () => 0));
    expect(d.hasInk).toBe(false);
    expect(d.data.every((v) => v === 0)).toBe(true);
  });
  it('refuses a colour image', () => {
    expect(() => mnistStyleDigit({ width: 1, height: 1, channels: 3, data: new Uint8Array(3) })).toThrow(/1-channel/);
  });
});
