import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_HEADER_BYTES, SafetensorsError, loadSafetensors, readSafetensors, saveSafetensors, writeSafetensors } from '../src/index.js';

const here = new URL('.', import.meta.url).pathname;

/** Builds a file from a raw header object and data bytes, to feed the reader malformed input. */
function rawFile(header: unknown, data: Uint8Array, headerText = JSON.stringify(header)): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const f32 = (...v: number[]) => new Float32Array(v);

describe('writeSafetensors / readSafetensors', () => {
  it('round-trips tensors, shapes, order and metadata', () => {
    const weights = {
      'conv2d/kernel': { shape: [1, 1, 2, 3], data: f32(1, 2, 3, 4, 5, -6.5) },
      'conv2d/bias': { shape: [3], data: f32(0.1, 0.2, 0.3) },
      scalar: { shape: [], data: f32(42) },
      empty: { shape: [0, 4], data: f32() },
    };
    const bytes = writeSafetensors(weights, { epoch: '3', format: 'convzoo' });
    const back = readSafetensors(bytes, 'mem');
    expect(back.metadata).toEqual({ epoch: '3', format: 'convzoo' });
    expect(Object.keys(back.weights)).toEqual(['conv2d/kernel', 'conv2d/bias', 'scalar', 'empty']);
    for (const [k, t] of Object.entries(weights)) {
      expect(back.weights[k]!.shape).toEqual(t.shape);
      expect(Array.from(back.weights[k]!.data)).toEqual(Array.from(t.data));
    }
  });

  it('pads the header with spaces to 8-byte alignment and lays data out contiguously', () => {
    const bytes = writeSafetensors({ a: { shape: [2], data: f32(1, 2) }, b: { shape: [1], data: f32(3) } });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(text.trimEnd().length).toBeLessThanOrEqual(n);
    expect(text.slice(text.trimEnd().length)).toMatch(/^ *$/);
    const header = JSON.parse(text);
    expect(header.a).toEqual({ dtype: 'F32', shape: [2], data_offsets: [0, 8] });
    expect(header.b).toEqual({ dtype: 'F32', shape: [1], data_offsets: [8, 12] });
    expect(bytes.length).toBe(8 + n + 12);
    expect(new DataView(bytes.buffer).getFloat32(8 + n + 8, true)).toBe(3);
  });

  it('rejects bad tensors on write, naming them', () => {
    expect(() => writeSafetensors({ w: { shape: [2, 2], data: f32(1, 2, 3) } })).toThrow(/tensor 'w': shape \[2, 2\] holds 4 values but data has 3/);
    expect(() => writeSafetensors({ __metadata__: { shape: [1], data: f32(1) } })).toThrow(/reserved/);
  });

  it('reads the file the Python reference (safetensors 0.8.0 save_file) wrote, converting dtypes to float32', async () => {
    const path = join(here, 'fixtures/reference.safetensors');
    const { weights, metadata } = await loadSafetensors(path);
    expect(metadata).toEqual({ format: 'np', made_by: 'make_reference.py' });
    // Same formulas as fixtures/make_reference.py.
    const kernel = Array.from({ length: 12 }, (_, i) => Math.fround(Math.fround(i / 7) - 0.5));
    expect(weights['conv/kernel']!.shape).toEqual([2, 2, 1, 3]);
    expect(Array.from(weights['conv/kernel']!.data)).toEqual(kernel);
    expect(Array.from(weights['conv/bias']!.data)).toEqual([1.5, -2.25, Math.fround(3e-8)]);
    // float16: 65504 is the largest half; 6.1e-5 becomes the largest subnormal, 1023 * 2^-24 (numpy says the same).
    expect(Array.from(weights.half!.data)).toEqual([0.5, -1, 65504, 1023 * 2 ** -24]);
    expect(weights.double!.shape).toEqual([1, 2]);
    expect(Array.from(weights.double!.data)).toEqual([1, -0.125]);
    expect(Array.from(weights.ints!.data)).toEqual([-3, 0, 7]);
    expect(Array.from(weights.bytes!.data)).toEqual([0, 128, 255]);
    expect(weights.scalar!.shape).toEqual([]);
    expect(Array.from(weights.scalar!.data)).toEqual([4]);
    expect(weights.empty!.shape).toEqual([0, 3]);
  });

  it('reads BF16 as the top half of a float32', () => {
    const data = new Uint8Array(4);
    new DataView(data.buffer).setUint16(0, 0x3fc0, true); // 1.5
    new DataView(data.buffer).setUint16(2, 0xc000, true); // -2
    const file = readSafetensors(rawFile({ b: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] } }, data));
    expect(Array.from(file.weights.b!.data)).toEqual([1.5, -2]);
  });
});

describe('readSafetensors rejects malformed files, naming the file and tensor', () => {
  const four = new Uint8Array(4);
  const cases: [string, Uint8Array, RegExp][] = [
    ['a file shorter than 8 bytes', new Uint8Array(3), /bad\.st: file is 3 bytes/],
    [
      'a header past the end of the file',
      (() => {
        const b = new Uint8Array(16);
        new DataView(b.buffer).setBigUint64(0, 100n, true);
        return b;
      })(),
      /bad\.st: header length 100 runs past the end of the file \(16 bytes\)/,
    ],
    [
      'an oversize header',
      (() => {
        const b = new Uint8Array(16);
        new DataView(b.buffer).setBigUint64(0, BigInt(MAX_HEADER_BYTES + 1), true);
        return b;
      })(),
      /exceeds the 100000000-byte limit/,
    ],
    ['invalid JSON', rawFile(null, four, '{"a": '), /bad\.st: header is not valid UTF-8 JSON/],
    ['a non-object header', rawFile([1, 2], new Uint8Array()), /header must be a JSON object/],
    ['an unknown dtype', rawFile({ w: { dtype: 'F8_E4M3', shape: [4], data_offsets: [0, 4] } }, four), /tensor 'w': unsupported dtype 'F8_E4M3'/],
    [
      'a shape/length mismatch',
      rawFile({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, four),
      /tensor 'w': shape \[2\] × F32 needs 8 bytes but data_offsets \[0, 4\] span 4/,
    ],
    [
      'offsets past the data',
      rawFile({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, four),
      /tensor 'w': data_offsets \[0, 8\] run past the data area \(4 bytes\)/,
    ],
    [
      'overlapping offsets',
      rawFile(
        {
          a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
          b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] },
        },
        new Uint8Array(8),
      ),
      /tensor 'b': data_offsets \[4, 8\] overlap/,
    ],
    [
      'a gap between tensors',
      rawFile(
        {
          a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
          b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] },
        },
        new Uint8Array(12),
      ),
      /tensor 'b': data_offsets \[8, 12\] leave a gap after byte 4/,
    ],
    ['trailing bytes', rawFile({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(8)), /4 bytes after the last tensor/],
    ['reversed offsets', rawFile({ a: { dtype: 'F32', shape: [0], data_offsets: [4, 0] } }, four), /tensor 'a': data_offsets \[4, 0\] end before/],
    [
      'negative shape',
      rawFile({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, four),
      /tensor 'a': shape must be an array of non-negative integers/,
    ],
    ['non-string metadata', rawFile({ __metadata__: { n: 1 } }, new Uint8Array()), /__metadata__\['n'\] must be a string/],
  ];
  for (const [what, bytes, message] of cases) {
    it(`rejects ${what}`, () => {
      let err: unknown;
      try {
        readSafetensors(bytes, 'bad.st');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SafetensorsError);
      expect((err as Error).message).toMatch(/^bad\.st: /);
      expect((err as Error).message).toMatch(message);
    });
  }
});

describe('saveSafetensors', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes atomically (no temp file left) and reads back', async () => {
    dir = await mkdtemp(join(tmpdir(), 'convzoo-st-'));
    const path = join(dir, 'ckpt.safetensors');
    await saveSafetensors(path, { w: { shape: [2], data: f32(1, 2) } }, { step: '1' });
    await saveSafetensors(path, { w: { shape: [2], data: f32(3, 4) } }, { step: '2' });
    expect(await readdir(dir)).toEqual(['ckpt.safetensors']);
    const back = await loadSafetensors(path);
    expect(back.metadata.step).toBe('2');
    expect(Array.from(back.weights.w!.data)).toEqual([3, 4]);
    expect((await readFile(path)).length).toBeGreaterThan(8);
  });

  it('names the path in read errors', async () => {
    await expect(loadSafetensors(join(here, 'fixtures/make_reference.py'))).rejects.toThrow(/make_reference\.py: header length/);
  });
});
